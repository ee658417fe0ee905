/** How long ago something happened, in words ("just now", "2 minutes ago", "1 day ago"). */
export function timeAgo(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 45) return 'just now';
  const [size, name] = s < 45 * 60 ? [60, 'minute'] : s < 22 * 3600 ? [3600, 'hour'] : [86_400, 'day'];
  const n = Math.max(1, Math.round(s / size));
  return `${n} ${name}${n === 1 ? '' : 's'} ago`;
}
