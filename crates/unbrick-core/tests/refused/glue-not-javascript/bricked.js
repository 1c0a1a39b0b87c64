export function (((
