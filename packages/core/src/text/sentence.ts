/**
 * `text` ended as a sentence: with a full stop, unless it ends in one already, or in a question or
 * exclamation mark, or an ellipsis (closing quotes and brackets after them count): citations read
 * "Does it work? BMC…", never "Does it work?. BMC…".
 */
export function asSentence(text: string): string {
  return /[.?!…]["'”’)\]]*$/u.test(text) ? text : `${text}.`;
}
