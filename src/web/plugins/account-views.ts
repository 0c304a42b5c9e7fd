import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type AccountOverview, loadAccountOverview } from '../../app/accounts/account-overview.ts';
import type { SubscriberSession } from '../../app/auth/sessions.ts';
import { VersionedCache } from '../../app/cache/versioned-cache.ts';
import { type Draft, loadDraft } from '../../app/requests/replacement-draft.ts';
import { type RequestStatusView, requestStatus } from '../../app/requests/request-status.ts';
import type { Db } from '../../db/client.ts';

type Reader = Pick<SubscriberSession, 'operatorId' | 'accountId' | 'viewsVersion'>;

export type AccountViews = {
  overview(session: Reader): Promise<AccountOverview | null>;
  request(session: Reader, requestId: string): Promise<RequestStatusView | null>;
  draft(session: Reader, requestId: string): Promise<Draft | null>;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** What the subscriber's pages show, read once per version of the account. */
    accountViews: AccountViews;
  }
}

/**
 * A subscriber opens the same few pages again and again (the status page also polls), so what
 * they show is kept in memory per account, for the version of it the session lookup reported:
 * any change to the account in the database makes the next page read it afresh, on every
 * instance. Decisions never use these copies; use cases read the database in their transaction.
 */
async function accountViewsPlugin(app: FastifyInstance, { db }: { db: Db }) {
  const MAX_ACCOUNTS = 20_000;
  const overviews = new VersionedCache<AccountOverview | null>(MAX_ACCOUNTS);
  const requests = new VersionedCache<RequestStatusView | null>(MAX_ACCOUNTS);
  const drafts = new VersionedCache<Draft | null>(MAX_ACCOUNTS);
  app.decorate('accountViews', {
    overview: (s) =>
      overviews.get(s.accountId, s.viewsVersion, s.operatorId, () =>
        loadAccountOverview(db, s.operatorId, s.accountId),
      ),
    request: (s, id) =>
      requests.get(s.accountId, s.viewsVersion, `${s.operatorId}:${id}`, () => requestStatus(db, s, id)),
    draft: (s, id) => drafts.get(s.accountId, s.viewsVersion, `${s.operatorId}:${id}`, () => loadDraft(db, s, id)),
  } satisfies AccountViews);
}

export const accountViews = fp(accountViewsPlugin, { name: 'account-views' });
