import { ROLES } from '@winnow/core';
import { SOURCE_KINDS } from '@winnow/ingest';
import { describe, expect, it } from 'vitest';
import { memberAddCommand } from './accounts.command.ts';
import { importCommand } from './import.command.ts';

// Command definitions write these lists out (importing them would load the packages' libraries
// before `winnow` knows the command); the help must still name exactly what the code accepts.
describe('command help lists', () => {
  it('member add names every role', () => {
    expect(memberAddCommand.options?.role?.description).toBe(`One of ${ROLES.join(', ')}`);
  });

  it('import names every source kind', () => {
    expect(importCommand.options?.kind?.description).toBe(
      `Source kind: ${SOURCE_KINDS.join(', ')} (default database)`,
    );
  });
});
