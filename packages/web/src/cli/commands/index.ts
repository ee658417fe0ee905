import type { CommandDef } from '../command.ts';
import { dedupeCommand } from './dedupe.command.ts';
import { importCommand } from './import.command.ts';
import { fullTextAddCommand } from './fulltext.command.ts';
import { exportRecordsCommand } from './export-records.command.ts';
import { exportDuplicatesCommand } from './export-duplicates.command.ts';
import { exportDuplicatePairsCommand } from './export-duplicate-pairs.command.ts';
import { duplicatesQueueCommand } from './duplicates-queue.command.ts';
import { exportExtractionCommand } from './export-extraction.command.ts';
import { exportReportCommand } from './export-report.command.ts';
import { memberAddCommand, tokenCreateCommand, userAddCommand } from './accounts.command.ts';
import { prismaCommand } from './prisma.command.ts';
import { exportDecisionsCommand } from './export-decisions.command.ts';
import { reviewCreateCommand, reviewListCommand } from './review.command.ts';
import { serveCommand } from './serve.command.ts';
import { simulateCommand } from './simulate.command.ts';
import { statusCommand } from './status.command.ts';
import { workerCommand } from './worker.command.ts';

/** Every CLI command. Add one line per feature command. */
export const COMMANDS: readonly CommandDef[] = [
  serveCommand,
  workerCommand,
  reviewCreateCommand,
  reviewListCommand,
  statusCommand,
  importCommand,
  exportRecordsCommand,
  dedupeCommand,
  duplicatesQueueCommand,
  exportDuplicatesCommand,
  exportDuplicatePairsCommand,
  exportExtractionCommand,
  exportReportCommand,
  exportDecisionsCommand,
  prismaCommand,
  userAddCommand,
  memberAddCommand,
  tokenCreateCommand,
  simulateCommand,
  fullTextAddCommand,
];
