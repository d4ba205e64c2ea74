import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connectionHeadroom, headroomRefusal } from '../../../tools/pgbench/target-probe.js';
import { adminUrl } from './pgbench-harness.js';

describe('connection headroom', () => {
  it('reads max_connections, the reserved slots and the sessions in use from the server', async () => {
    const other = new pg.Client({ connectionString: adminUrl });
    await other.connect();
    try {
      const headroom = await connectionHeadroom(adminUrl, 5000);
      const settings = await other.query<{ max: number; reserved: number }>(
        `SELECT current_setting('max_connections')::int AS max,
                current_setting('superuser_reserved_connections')::int AS reserved`,
      );
      expect(headroom.max).toBe(settings.rows[0]?.max);
      expect(headroom.reserved).toBeGreaterThanOrEqual(settings.rows[0]?.reserved ?? 0);
      // At least this test's other connection is in use; the asking connection is not counted.
      expect(headroom.inUse).toBeGreaterThanOrEqual(1);
      expect(headroom.inUse).toBeLessThan(headroom.max);
    } finally {
      await other.end();
    }
  });

  it('refuses a run that would leave fewer than a tenth of the slots free, and says how many fit', () => {
    const headroom = { max: 100, reserved: 3, inUse: 40 };
    expect(headroomRefusal(47, headroom)).toBeUndefined();
    expect(headroomRefusal(48, headroom)).toBe(
      'a run with 48 clients would leave other sessions fewer than 10 free connections: the server allows 100 (3 reserved), 40 are in use, so 57 are free; use at most 47 clients',
    );
  });

  it('keeps at least two slots free on a small server, and says to wait when none fit', () => {
    expect(headroomRefusal(3, { max: 10, reserved: 0, inUse: 5 })).toBeUndefined();
    expect(headroomRefusal(4, { max: 10, reserved: 0, inUse: 5 })).toMatch(/use at most 3 clients/);
    expect(headroomRefusal(1, { max: 10, reserved: 3, inUse: 6 })).toMatch(
      /so 1 are free; wait until fewer sessions are open, or ask the operator to raise max_connections$/,
    );
  });
});
