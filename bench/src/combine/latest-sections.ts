// One `make bench` run's results in one document: bench/results/latest.md (the hub against
// the floor at 3 members) gets the cost-per-member section of the same run's
// members-latest.md (light members), with its chart. Pure.

export const MEMBERS_SECTION = '## Cost per member (light members, same `make bench` run)';

/** Runs more than this apart are not one `make bench` run. */
export const SAME_RUN_WINDOW_MS = 40 * 60 * 1000;

export interface RunTimes {
  startedAt: string;
  finishedAt: string;
}

/** Why the two results are not from one `make bench` run, or undefined when they are. */
export function notOneRun(main: RunTimes, members: RunTimes): string | undefined {
  const gap = Date.parse(members.startedAt) - Date.parse(main.finishedAt);
  if (Number.isNaN(gap)) return 'a result has no valid time';
  if (gap < 0)
    return `members-latest (started ${members.startedAt}) is older than latest (finished ${main.finishedAt})`;
  if (gap > SAME_RUN_WINDOW_MS)
    return `members-latest started ${Math.round(gap / 60_000)} min after latest finished: not the same run`;
  return undefined;
}

/**
 * latest.md with the members section in place of any earlier one: the members document's
 * title becomes the section's, its other headings go one level down.
 */
export function withMembersSection(latest: string, members: string, total?: string): string {
  const kept = latest.split(`\n${MEMBERS_SECTION}\n`)[0]!.trimEnd();
  const body = members
    .trim()
    .split('\n')
    .filter((line, i) => !(i === 0 && line.startsWith('# ')))
    .map((line) => (line.startsWith('#') ? `#${line}` : line))
    .join('\n')
    .trim();
  const totalLine = total ? `\n\n${total}` : '';
  return `${kept}\n\n${MEMBERS_SECTION}\n\n${body}${totalLine}\n`;
}

/** The whole `make bench` run's time, from the main run's start to the members run's end. */
export function totalRunLine(main: RunTimes, members: RunTimes, limitMinutes = 15): string {
  const seconds = Math.round((Date.parse(members.finishedAt) - Date.parse(main.startedAt)) / 1000);
  const within = seconds < limitMinutes * 60 ? 'within' : 'OVER';
  return `The whole \`make bench\` run (both parts, clusters included) took ${Math.floor(seconds / 60)} min ${seconds % 60} s: ${within} the ${limitMinutes}-minute limit.`;
}
