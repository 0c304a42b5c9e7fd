import type { Db } from '../../db/client.ts';
import { appendAudit } from '../audit/audit-log.ts';

/**
 * A change made through the REST API, audited under the API client that made it, beside the
 * entry the change itself writes on the subscriber's behalf.
 */
export async function auditApiCall(
  db: Db,
  call: { operatorId: string; clientId: string; ip: string },
  action: string,
  target: { kind: string; id: string },
  data: Record<string, unknown> = {},
  now = new Date(),
): Promise<void> {
  await db.transaction((tx) =>
    appendAudit(
      tx,
      {
        operatorId: call.operatorId,
        actorKind: 'api_client',
        actorId: call.clientId,
        action: `api.${action}`,
        targetKind: target.kind,
        targetId: target.id,
        ip: call.ip,
        data,
      },
      now,
    ),
  );
}
