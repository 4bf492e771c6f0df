/**
 * People over SQLite: users (profile, status, roles) and their channel identities (user_identities), and
 * linking an identity to a person, folding in an empty record that held it.
 */
import type Database from 'better-sqlite3';
import type { AttachOutcome, Identity, IdentityRepository, NewUser, UserPatch, UserRecord, UserRepository, UserStatus } from './types.ts';

interface UserRow {
  id: number;
  staff_id: string;
  name: string;
  department: string;
  rank: string;
  status: UserStatus;
  is_admin: number;
  created_at: string;
  updated_at: string;
}

/** A lookup of many users' identities at once (oldest first), for lists and reports. */
export function identitiesByUser(db: Database.Database): (userIds: number[]) => Map<number, Identity[]> {
  const all = db.prepare(
    'SELECT user_id, channel, external_id FROM user_identities WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id, created_at, rowid',
  );
  return (userIds) => {
    const out = new Map<number, Identity[]>();
    if (!userIds.length) return out;
    for (const r of all.all(JSON.stringify(userIds)) as { user_id: number; channel: string; external_id: string }[]) {
      const list = out.get(r.user_id) ?? [];
      list.push({ channel: r.channel, id: r.external_id });
      out.set(r.user_id, list);
    }
    return out;
  };
}

/** A lookup of many users' roles at once, in the order chosen. */
function rolesByUser(db: Database.Database): (userIds: number[]) => Map<number, string[]> {
  const all = db.prepare('SELECT user_id, role FROM user_roles WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id, position');
  return (userIds) => {
    const out = new Map<number, string[]>();
    if (!userIds.length) return out;
    for (const r of all.all(JSON.stringify(userIds)) as { user_id: number; role: string }[]) {
      out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.role]);
    }
    return out;
  };
}

export function createUserRepository(db: Database.Database, iso: () => string, newStaffId: () => string): UserRepository {
  const identitiesOf = identitiesByUser(db);
  const rolesOf = rolesByUser(db);
  const toRecord = (row: UserRow): Omit<UserRecord, 'identities' | 'roles'> => ({
    id: row.id,
    staffId: row.staff_id,
    name: row.name,
    department: row.department,
    rank: row.rank,
    status: row.status,
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  const hydrate = (rows: UserRow[]): UserRecord[] => {
    const ids = rows.map((r) => r.id);
    const identities = identitiesOf(ids);
    const roles = rolesOf(ids);
    return rows.map((row) => ({ ...toRecord(row), identities: identities.get(row.id) ?? [], roles: roles.get(row.id) ?? [] }));
  };
  // One user (every message resolves its sender): two indexed reads, no batching.
  const identitiesOfOne = db.prepare('SELECT channel, external_id AS id FROM user_identities WHERE user_id = ? ORDER BY created_at, rowid');
  const rolesOfOne = db.prepare('SELECT role FROM user_roles WHERE user_id = ? ORDER BY position').pluck();
  const one = (row: UserRow | undefined): UserRecord | undefined =>
    row && {
      ...toRecord(row),
      identities: identitiesOfOne.all(row.id) as Identity[],
      roles: rolesOfOne.all(row.id) as string[],
    };

  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const byIdentity = db.prepare(
    'SELECT u.* FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.channel = ? AND i.external_id = ?',
  );
  const byStaff = db.prepare('SELECT * FROM users WHERE staff_id = ?');
  const insert = db.prepare(
    `INSERT INTO users (staff_id, name, department, rank, status, is_admin, created_at, updated_at)
     VALUES (@staffId, @name, @department, @rank, @status, @isAdmin, @now, @now)
     ON CONFLICT DO NOTHING`,
  );
  const addIdentity = db.prepare('INSERT INTO user_identities (user_id, channel, external_id, created_at) VALUES (?, ?, ?, ?)');
  const clearRoles = db.prepare('DELETE FROM user_roles WHERE user_id = ?');
  const addRole = db.prepare('INSERT OR IGNORE INTO user_roles (user_id, position, role) VALUES (?, ?, ?)');
  const setStatus = db.prepare('UPDATE users SET status = ?, updated_at = ? WHERE id = ? AND status = ?');
  const search = db.prepare(
    `SELECT * FROM users WHERE name LIKE '%' || @like || '%' ESCAPE '\\' OR staff_id = upper(@q)
     ORDER BY (name = @q OR staff_id = upper(@q)) DESC, name, id LIMIT @limit`,
  );
  const setRoles = (id: number, roles: string[]) => {
    clearRoles.run(id);
    roles.forEach((r, i) => addRole.run(id, i, r));
  };
  const find = (identity: Identity) => one(byIdentity.get(identity.channel, identity.id) as UserRow | undefined);
  const get = (id: number) => one(byId.get(id) as UserRow | undefined);

  // IMMEDIATE: the check and the insert hold the write lock, so two processes registering one identity make one user.
  const create = db.transaction((user: NewUser): UserRecord => {
    const existing = find(user.identity);
    if (existing) return existing;
    const now = iso();
    const info = insert.run({
      staffId: newStaffId(),
      name: user.name,
      department: user.department ?? '',
      rank: user.rank ?? '',
      status: user.status,
      isAdmin: user.isAdmin ? 1 : 0,
      now,
    });
    if (info.changes === 0) throw new Error('user insert ignored (staff id collision)');
    const id = Number(info.lastInsertRowid);
    addIdentity.run(id, user.identity.channel, user.identity.id, now);
    setRoles(id, user.roles ?? []);
    return get(id)!;
  });
  const update = db.transaction((id: number, patch: UserPatch): UserRecord => {
    const sets: string[] = [];
    const params: Record<string, unknown> = { id, now: iso() };
    for (const key of ['name', 'department', 'rank'] as const) {
      if (patch[key] !== undefined) {
        sets.push(`${key} = @${key}`);
        params[key] = patch[key];
      }
    }
    if (patch.isAdmin !== undefined) {
      sets.push('is_admin = @isAdmin');
      params.isAdmin = patch.isAdmin ? 1 : 0;
    }
    db.prepare(`UPDATE users SET ${[...sets, 'updated_at = @now'].join(', ')} WHERE id = @id`).run(params);
    if (patch.roles) setRoles(id, patch.roles);
    const user = get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  });

  return {
    get: async (id) => get(id),
    findByIdentity: async (identity) => find(identity),
    findByStaffId: async (staffId) => one(byStaff.get(staffId) as UserRow | undefined),
    create: async (user) => create.immediate(user),
    update: async (id, patch) => update(id, patch),
    transition: async (id, from, to) => setStatus.run(to, iso(), id, from).changes === 1,
    async list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status) {
        where.push('status = ?');
        params.push(filter.status);
      }
      if (filter.isAdmin !== undefined) {
        where.push('is_admin = ?');
        params.push(filter.isAdmin ? 1 : 0);
      }
      const sql = `SELECT * FROM users ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id`;
      return hydrate(db.prepare(sql).all(...params) as UserRow[]);
    },
    async search(text, limit = 20) {
      const q = text.trim();
      if (!q) return [];
      return hydrate(search.all({ q, like: q.replace(/[\\%_]/g, (c) => `\\${c}`), limit }) as UserRow[]);
    },
  };
}

/**
 * Tables whose rows referencing a user are not "records" of that person: how a merge treats them. Every
 * other table that references users (now or added by a later migration) holds records, so a person with
 * a row there is never folded into another.
 */
const MERGE_HANDLING: Record<string, 'dropped' | 'moved' | 'repointed' | 'roll-call'> = {
  user_roles: 'dropped',
  link_codes: 'dropped',
  user_identities: 'moved',
  reminders_sent: 'moved',
  audit_log: 'repointed',
  // Only 'not_started' rows (the week's roll call); any other result is a record.
  weekly_results: 'roll-call',
};

export function createIdentityRepository(db: Database.Database, iso: () => string, users: UserRepository): IdentityRepository {
  const ownerOf = db.prepare('SELECT user_id FROM user_identities WHERE channel = ? AND external_id = ?');
  const countOf = db.prepare('SELECT COUNT(*) AS n FROM user_identities WHERE user_id = ?');
  const add = db.prepare('INSERT INTO user_identities (user_id, channel, external_id, created_at) VALUES (?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM user_identities WHERE channel = ? AND external_id = ?');
  const userExists = db.prepare('SELECT 1 FROM users WHERE id = ?');
  const references = () =>
    db
      .prepare(
        `SELECT m.name AS tbl, f."from" AS col FROM sqlite_master m, pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' AND f."table" = 'users'`,
      )
      .all() as { tbl: string; col: string }[];
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

  const hasRecords = (userId: number) =>
    references().some(({ tbl, col }) => {
      const how = MERGE_HANDLING[tbl];
      if (how && how !== 'roll-call') return false;
      const extra = how === 'roll-call' ? ` AND status <> 'not_started'` : '';
      return db.prepare(`SELECT 1 FROM ${quoted(tbl)} WHERE ${quoted(col)} = ?${extra} LIMIT 1`).get(userId) !== undefined;
    });

  /** Fold the empty record `from` into `to`: identities, reminders and the week's roll call move, audit entries follow. */
  const fold = (from: number, to: number) => {
    db.prepare('UPDATE user_identities SET user_id = ? WHERE user_id = ?').run(to, from);
    db.prepare('INSERT OR IGNORE INTO reminders_sent (user_id, week, kind, sent_at) SELECT ?, week, kind, sent_at FROM reminders_sent WHERE user_id = ?').run(to, from);
    db.prepare(
      `INSERT OR IGNORE INTO weekly_results (user_id, week, status, score, pass_mark, attempts, duration_ms, hours, updated_at)
       SELECT ?, week, status, score, pass_mark, attempts, duration_ms, hours, updated_at FROM weekly_results WHERE user_id = ?`,
    ).run(to, from);
    db.prepare('UPDATE audit_log SET actor_user_id = ? WHERE actor_user_id = ?').run(to, from);
    db.prepare('UPDATE audit_log SET target_user_id = ? WHERE target_user_id = ?').run(to, from);
    db.prepare('DELETE FROM users WHERE id = ?').run(from);
  };

  type Decision = { kind: 'attached' | 'already' | 'missing' } | { kind: 'merged'; from: number } | { kind: 'taken'; owner: number };
  const attach = db.transaction((userId: number, identity: Identity, at: string): Decision => {
    if (!userExists.get(userId)) return { kind: 'missing' };
    const owner = (ownerOf.get(identity.channel, identity.id) as { user_id: number } | undefined)?.user_id;
    if (owner === undefined) {
      add.run(userId, identity.channel, identity.id, at);
      return { kind: 'attached' };
    }
    if (owner === userId) return { kind: 'already' };
    if (hasRecords(owner)) return { kind: 'taken', owner };
    fold(owner, userId);
    return { kind: 'merged', from: owner };
  });
  const detach = db.transaction((identity: Identity) => {
    const owner = (ownerOf.get(identity.channel, identity.id) as { user_id: number } | undefined)?.user_id;
    if (owner === undefined) return 'unknown' as const;
    if ((countOf.get(owner) as { n: number }).n <= 1) return 'last' as const;
    remove.run(identity.channel, identity.id);
    return 'detached' as const;
  });

  return {
    async attach(userId, identity): Promise<AttachOutcome> {
      const d = attach.immediate(userId, identity, iso());
      if (d.kind === 'missing') return { kind: 'missing' };
      if (d.kind === 'taken') return { kind: 'taken', owner: (await users.get(d.owner))! };
      const user = (await users.get(userId))!;
      if (d.kind === 'merged') return { kind: 'merged', user, mergedUserId: d.from };
      return { kind: d.kind, user };
    },
    detach: async (identity) => detach.immediate(identity),
  };
}
