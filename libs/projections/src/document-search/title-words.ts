/**
 * Words of a title as search compares them: lower case, accents removed, split on anything
 * that is not a letter or a digit; single letters dropped. The same function tokenizes the
 * titles when projected and the words of a query, so they always agree.
 */
export const MAX_TITLE_WORDS = 64;

export function titleWords(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2 || /^\p{N}$/u.test(word));
  return [...new Set(words)].slice(0, MAX_TITLE_WORDS);
}
