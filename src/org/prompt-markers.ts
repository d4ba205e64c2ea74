/** Opens the section of an exported prompt that cadre generated (place in the org, rules). */
export const orgContextStart =
  '<!-- cadre:org-context (generated; cadre strips this section on import) -->';
/** Closes that section. */
export const orgContextEnd = '<!-- /cadre:org-context -->';

/** Removes a generated org-context section, so importing an export gives back the written prompt. */
export function stripOrgContext(text: string): string {
  const start = text.indexOf(orgContextStart);
  if (start < 0) return text;
  const end = text.indexOf(orgContextEnd, start);
  if (end < 0) return text;
  const before = text.slice(0, start).replace(/\s+$/, '');
  const after = text.slice(end + orgContextEnd.length).replace(/^\s+/, '');
  return before && after ? `${before}\n\n${after}` : before || after;
}
