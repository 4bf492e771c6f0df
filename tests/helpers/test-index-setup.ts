/**
 * vitest globalSetup: builds the shared checklist index once per test run, before any test file starts
 * (the must-know checklist's laws from ../shared/corpus/laws plus the bureau's report), and hands its
 * folder to the test files; tests/helpers/test-index.ts opens it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { questionBankArtefact } from '../../src/quiz/bank-file.ts';
import { runIngest } from '../../src/search/index.ts';
import { makeKnowledgeDir, requireShared, testConfig } from './shared-data.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    checklistIndexDir: string;
  }
}

export default async function setup(project: TestProject) {
  requireShared();
  const dir = await mkdtemp(join(tmpdir(), 'pufa-test-index-'));
  const config = testConfig(dir);
  await makeKnowledgeDir(config.knowledgeDir);
  // The quiz's question bank is built into it as in production (pufa ingest).
  await runIngest(config, { checklistOnly: true, artefacts: [questionBankArtefact(config.knowledgeDir)] });
  project.provide('checklistIndexDir', dir);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
