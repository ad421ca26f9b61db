// Allure result files (the allure-js-commons format every Allure reporter writes): one
// <uuid>-result.json per test and its attachments beside it. kubeprop writes them for fuzz
// campaigns so a campaign and the vitest suites land in one report, and reads them back to
// build the conformance matrix and the JUnit XML.

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attachment, Label, TestResult } from 'allure-js-commons';

/** Label naming the conformance matrix row a result belongs to: "invariant:<name>" or "seed:<walkthrough>". */
export const MATRIX_ROW_LABEL = 'kubeprop.row';
/** Label naming the matrix column: "sim", "local", "kubeconfig" or "mutant:<name>". */
export const MATRIX_COLUMN_LABEL = 'kubeprop.column';

/** The content of one attachment file, named by the `source` its Attachment refers to. */
export interface AttachmentFile {
  readonly source: string;
  readonly content: string | Buffer;
}

export interface AllureResultSet {
  readonly results: readonly TestResult[];
  readonly attachments: readonly AttachmentFile[];
}

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** An attachment and the file that holds it, under a fresh name. */
export function attachment(name: string, type: string, extension: string, content: string | Buffer, newId: () => string = randomUUID): { ref: Attachment; file: AttachmentFile } {
  const source = `${newId()}-attachment.${extension}`;
  return { ref: { name, type, source }, file: { source, content } };
}

export function labelValue(result: Pick<TestResult, 'labels'>, name: string): string | undefined {
  return result.labels.find((l: Label) => l.name === name)?.value;
}

/** Writes the results and attachments into `dir` (created if missing); returns the result file paths. */
export function writeAllureResults(dir: string, set: AllureResultSet): string[] {
  mkdirSync(dir, { recursive: true });
  for (const a of set.attachments) writeFileSync(join(dir, a.source), a.content);
  return set.results.map((r) => {
    const file = join(dir, `${r.uuid}-result.json`);
    writeFileSync(file, JSON.stringify(r));
    return file;
  });
}

function isTestResult(value: unknown): value is TestResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.uuid === 'string' && typeof v.name === 'string' && Array.isArray(v.labels);
}

/** Reads every *-result.json in `dir` (none when it does not exist); skips files that are not results. */
export function readAllureResults(dir: string): TestResult[] {
  if (!existsSync(dir)) return [];
  const results: TestResult[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('-result.json')) continue;
    try {
      const value: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (isTestResult(value)) results.push(value);
    } catch {
      // A half-written file from a run that was killed: not a result.
    }
  }
  return results;
}

/**
 * The newest result of each test (by history id): a results directory keeps every run's
 * files, and a report, a matrix or a JUnit file speaks about the latest.
 */
export function latestResults(results: readonly TestResult[]): TestResult[] {
  const byTest = new Map<string, TestResult>();
  for (const r of results) {
    const key = r.historyId ?? r.fullName ?? r.uuid;
    const seen = byTest.get(key);
    if (!seen || (r.stop ?? r.start ?? 0) >= (seen.stop ?? seen.start ?? 0)) byTest.set(key, r);
  }
  return [...byTest.values()];
}

/** Every attachment file a result refers to, its steps' included. */
export function attachmentSources(result: Pick<TestResult, 'attachments' | 'steps'>): string[] {
  const sources: string[] = [];
  const walk = (node: Pick<TestResult, 'attachments' | 'steps'>) => {
    for (const a of node.attachments) sources.push(a.source);
    for (const s of node.steps) walk(s);
  };
  walk(result);
  return sources;
}
