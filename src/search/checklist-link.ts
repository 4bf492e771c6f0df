/**
 * The index's view of the must-know checklist (owned by src/knowledge/checklist.ts): which laws (and
 * which books of a code) it names, and which of them no ingested law matched.
 */
import type { LawCatalog } from '../knowledge/catalog.ts';
import { checklistFilter, checklistTitles, loadChecklist, resolveChecklist } from '../knowledge/checklist.ts';

export interface ChecklistView {
  titles: string[];
  /** Whether a law (or one book of a code: 民法典 总则编) is one the checklist names. */
  includes(lawTitle: string, books?: string[]): boolean;
  missing(catalog: LawCatalog): string[];
}

/** The checklist in knowledgeDir, or undefined when the knowledge folder has none. */
export async function loadChecklistView(knowledgeDir: string): Promise<ChecklistView | undefined> {
  const checklist = await loadChecklist(knowledgeDir);
  const titles = checklistTitles(checklist);
  if (titles.length === 0) return undefined;
  const filter = checklistFilter(checklist);
  return {
    titles,
    includes: (title, books) => filter(title, books),
    missing: (catalog) => resolveChecklist(checklist, catalog).missing,
  };
}
