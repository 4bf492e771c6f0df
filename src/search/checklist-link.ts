/**
 * The index's view of the must-know checklist (owned by src/knowledge/checklist.ts): which law titles it
 * names, and which of them no ingested law matched. Loaded lazily so a knowledge folder without a
 * checklist still ingests.
 */
import type { LawCatalog } from '../knowledge/catalog.ts';
import { normalizeLawName } from '../knowledge/catalog.ts';

interface ChecklistModule {
  loadChecklist(knowledgeDir: string): Promise<unknown>;
  resolveChecklist(checklist: unknown, catalog: LawCatalog): { missing: string[] };
  checklistTitles(checklist: unknown): string[];
  checklistFilter?(checklist: unknown): (lawTitle: string, books?: string[]) => boolean;
}

export interface ChecklistView {
  titles: string[];
  /** Whether a law title is one the checklist names (预算法 ↔ 中华人民共和国预算法; 民法典's books ↔ 民法典). */
  includes(lawTitle: string): boolean;
  missing(catalog: LawCatalog): string[];
}

const MODULE = '../knowledge/checklist.ts';

/** The checklist in knowledgeDir, or undefined when there is none (or the checklist module is absent). */
export async function loadChecklistView(knowledgeDir: string): Promise<ChecklistView | undefined> {
  let mod: ChecklistModule;
  try {
    mod = (await import(MODULE)) as ChecklistModule;
  } catch {
    return undefined;
  }
  let checklist: unknown;
  try {
    checklist = await mod.loadChecklist(knowledgeDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const titles = mod.checklistTitles(checklist);
  const keys = new Set(titles.map((t) => normalizeLawName(t).replace(/[（(].*$/, '')));
  const filter = mod.checklistFilter?.(checklist);
  return {
    titles,
    includes: (title) => (filter ? filter(title) : keys.has(normalizeLawName(title))),
    missing: (catalog) => mod.resolveChecklist(checklist, catalog).missing,
  };
}
