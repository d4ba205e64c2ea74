import type { Grant } from '../../src/org/agent-schema.js';

/** The least grant that may call a function, or `never`. */
export type FunctionGrant = Grant | 'never';

/** A family of server functions that a read statement must not call, and why. */
export interface DangerousFunction {
  /** Matches the function's name (lower case, without schema). */
  pattern: RegExp;
  /** What the function does that makes it dangerous. */
  reason: string;
  /** The least grant at which `execute` may call it. */
  grant: FunctionGrant;
}

/**
 * Functions (and views over the server's files) refused wherever they appear, with or without
 * schema and quotes. File, program and network access and SQL-in-a-string are never allowed (a
 * superuser could otherwise read the server's files even inside a read-only transaction);
 * server administration and its configuration files need admin; effects that a rollback does
 * not undo (sequences, advisory locks, notifications, index summaries, random seeds) need write.
 */
export const dangerousFunctions: readonly DangerousFunction[] = [
  {
    pattern: /^pg_read_(?:binary_)?file\w*$/,
    reason: 'reads files on the database server',
    grant: 'never',
  },
  { pattern: /^pg_ls_\w*$/, reason: 'lists directories on the database server', grant: 'never' },
  {
    pattern: /^pg_stat_file$/,
    reason: 'reads file metadata on the database server',
    grant: 'never',
  },
  {
    pattern: /^(?:pg_file_(?:write|rename|unlink|sync|read|length)|pg_logdir_ls)$/,
    reason: 'writes, renames or removes files on the database server',
    grant: 'never',
  },
  {
    pattern: /^lo_(?:import|export)$/,
    reason: 'copies files between the database server’s disk and large objects',
    grant: 'never',
  },
  { pattern: /^dblink\w*$/, reason: 'opens connections to other servers', grant: 'never' },
  {
    pattern: /^(?:(?:query|cursor)_to_xml\w*|ts_stat|ts_rewrite)$/,
    reason: 'runs SQL passed as text, out of reach of these checks',
    grant: 'never',
  },
  {
    pattern: /^set_config$/,
    reason: 'changes settings (it can turn read-only off)',
    grant: 'admin',
  },
  {
    pattern: /^pg_(?:terminate|cancel)_backend$/,
    reason: 'stops other sessions',
    grant: 'admin',
  },
  {
    pattern:
      /^(?:pg_reload_conf|pg_rotate_logfile\w*|pg_switch_(?:wal|xlog)|pg_promote|pg_log_backend_memory_contexts|pg_import_system_collations)$/,
    reason: 'administers the server',
    grant: 'admin',
  },
  {
    pattern:
      /^(?:pg_create_\w+|pg_drop_replication_slot|pg_replication_slot_advance|pg_copy_\w+_replication_slot|pg_logical_slot_get_\w+|pg_logical_emit_message|pg_replication_origin_\w+)$/,
    reason: 'creates or consumes replication slots, origins or restore points',
    grant: 'admin',
  },
  {
    pattern:
      /^(?:pg_(?:wal|xlog)_replay_\w+|pg_(?:start|stop)_backup|pg_backup_(?:start|stop)|pg_stat_reset\w*|pg_stat_statements_reset)$/,
    reason: 'changes server-wide state (recovery, backups, statistics)',
    grant: 'admin',
  },
  {
    pattern: /^(?:txid_current|pg_current_xact_id)$/,
    reason: 'assigns a transaction id, which is a write',
    grant: 'write',
  },
  {
    pattern: /^(?:nextval|setval)$/,
    reason: 'changes a sequence, which a rollback does not undo',
    grant: 'write',
  },
  {
    pattern: /^pg_(?:try_)?advisory_\w+$/,
    reason: 'takes or releases advisory locks, which can outlive the call',
    grant: 'write',
  },
  {
    pattern: /^(?:lo_\w+|lowrite|loread)$/,
    reason: 'works on large objects, which can write',
    grant: 'write',
  },
  { pattern: /^pg_notify$/, reason: 'sends notifications to other sessions', grant: 'write' },
  {
    pattern:
      /^(?:brin_summarize_new_values|brin_summarize_range|brin_desummarize_range|gin_clean_pending_list)$/,
    reason: 'changes an index in a way a rollback does not undo',
    grant: 'write',
  },
  {
    pattern: /^setseed$/,
    reason: 'seeds random() for the rest of the session, which outlives the call',
    grant: 'write',
  },
  { pattern: /^pg_nextoid$/, reason: 'advances the server’s OID counter', grant: 'admin' },
  {
    pattern:
      /^(?:pg_file_settings|pg_show_all_file_settings|pg_hba_file_rules|pg_ident_file_mappings|pg_current_logfile)$/,
    reason:
      'reads the server’s configuration files (settings, client authentication rules, log file names)',
    grant: 'admin',
  },
];

/** Rules already looked up by lower-case name (null: none); every word of a statement is. */
const known = new Map<string, DangerousFunction | null>();
const maxKnown = 4096;

/** The dangerous-function rule that `name` (any case) falls under, if any. */
export function dangerousFunction(name: string): DangerousFunction | undefined {
  const lower = name.toLowerCase();
  let rule = known.get(lower);
  if (rule === undefined) {
    rule = dangerousFunctions.find((candidate) => candidate.pattern.test(lower)) ?? null;
    if (known.size >= maxKnown) known.clear();
    known.set(lower, rule);
  }
  return rule ?? undefined;
}
