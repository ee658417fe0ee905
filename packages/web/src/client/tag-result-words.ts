/**
 * What tagging (or untagging) the selected records did, in words: the server answers how many
 * records changed, and "Tagged 0 records" after ticking two that already had the tag reads as a
 * failure. Records that were already as asked are named as such.
 */
export function tagResultWords(on: boolean, tag: string, selected: number, changed: number): string {
  const name = `“${tag}”`;
  const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;
  const unchanged = selected - changed;
  if (unchanged <= 0)
    return `${on ? 'Tagged' : 'Untagged'} ${records(changed)} ${on ? 'with' : 'from'} ${name}.`;
  if (changed === 0) {
    if (on)
      return selected === 1
        ? `The selected record already has the tag ${name}.`
        : `The ${selected} selected records already have the tag ${name}.`;
    return selected === 1
      ? `The selected record does not have the tag ${name}.`
      : `None of the ${selected} selected records has the tag ${name}.`;
  }
  return on
    ? `Tagged ${records(changed)} with ${name}; the other ${unchanged} already had it.`
    : `Untagged ${records(changed)} from ${name}; the other ${unchanged} did not have it.`;
}
