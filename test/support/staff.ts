import type { StaffActor } from '../../src/app/requests/staff-step.ts';
import type { Database } from '../../src/db/client.ts';

export type Staff = Record<'reviewer' | 'logistics' | 'store_agent' | 'admin', StaffActor>;

/** The demo staff of an operator, one per role, as actors for the application layer. */
export async function demoStaff(database: Database, operatorSlug = 'volna'): Promise<Staff> {
  const rows = await database.raw.query<{ id: string; operator_id: string; role: keyof Staff }>(
    `select s.id, s.operator_id, r.role from staff_users s join staff_roles r on r.staff_id = s.id
       join operators o on o.id = s.operator_id where o.slug = $1`,
    [operatorSlug],
  );
  const as = (role: keyof Staff) => {
    const row = rows.find((r) => r.role === role);
    if (!row) throw new Error(`no ${role} for ${operatorSlug}`);
    return { operatorId: row.operator_id, staffId: row.id, ip: '10.0.0.1' };
  };
  return { reviewer: as('reviewer'), logistics: as('logistics'), store_agent: as('store_agent'), admin: as('admin') };
}
