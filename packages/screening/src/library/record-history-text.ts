/**
 * Events about the record not covered by the vote tables, and how to say them. `seen` names the
 * record whose page shows the event and the record the event is about, when they can differ (the
 * page lists its duplicates' events too): an event about a duplicate is then said as one.
 */
export function historyEventText(
  type: string,
  data: Record<string, unknown>,
  seen?: { pageRecordId: string; entityId: string },
): string {
  const s = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : '');
  if (type === 'dedup.inherited' && seen && seen.entityId !== seen.pageRecordId)
    return s('fromRecordId') === seen.pageRecordId
      ? 'A duplicate of this record took over its screening'
      : 'A duplicate took over the screening of another record of this report';
  switch (type) {
    case 'record.noted':
      return 'Added a note';
    case 'record.tagged':
      return `Tagged “${s('tag')}”`;
    case 'record.untagged':
      return `Removed the tag “${s('tag')}”`;
    case 'import.completed':
      return `Imported from ${s('fileName') || 'a file'}`;
    case 'record.added':
      return `Added by hand (${s('sourceName') || 'other methods'})`;
    case 'dedup.merged':
      return 'Merged with its duplicates';
    case 'dedup.split':
      return 'Duplicate group split';
    case 'dedup.inherited':
      return 'Took over the screening of a record it duplicates';
    case 'dedup.distinct':
    case 'dedup.marked-distinct':
      return 'Marked a different report from a possible duplicate';
    case 'record.withdrawn':
      return 'Taken back out of full-text assessment (its title/abstract inclusion no longer stands)';
    case 'record.kept-in-full-text':
      return 'Kept in full-text assessment, which had begun, though its title/abstract inclusion changed';
    case 'assignment.reassigned':
      return 'Passed to another reviewer';
    case 'assignment.revoked':
      return `Taken off a reviewer's list${s('reason') ? ` (${s('reason')})` : ''}`;
    case 'report.retrieved':
    case 'report.retrieval-recorded':
      return 'Full text recorded';
    case 'report.attached':
      return `Full text attached${s('fileName') ? ` (${s('fileName')})` : ''}`;
    case 'report.url-recorded':
      return 'Full text web address recorded';
    case 'report.not-retrieved':
      return `Marked as not retrieved${s('reason') ? ` (${s('reason')})` : ''}`;
    case 'report.linked':
      return s('label') ? `Made a report of the study “${s('label')}”` : 'Linked to a study';
    case 'record.removed-by-automation':
      return `Removed before screening by an automation tool${s('reason') ? ` (${s('reason')})` : ''}`;
    case 'record.removed-other':
      return `Removed before screening${s('reason') ? ` (${s('reason')})` : ' for another reason'}`;
    case 'record.excluded-by-automation':
      return `Excluded by an automation tool${s('reason') ? ` (${s('reason')})` : ''}`;
    default: {
      // An event this list does not know yet: its name in words, never its token ("report.docx-made").
      const words = type.replace(/[._-]+/g, ' ').trim();
      return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Changed';
    }
  }
}
