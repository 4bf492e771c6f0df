/**
 * vitest globalSetup: reserves one temporary directory per test run for the shared checklist index.
 * The index itself is built lazily by the first test file that asks for it (tests/helpers/test-index.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    checklistIndexDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'pufa-test-index-'));
  project.provide('checklistIndexDir', dir);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
