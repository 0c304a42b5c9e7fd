import { Layout } from './layout.tsx';
import type { PageContext } from './page-context.ts';

export function NotFoundPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('error.notFound.title')}>
      <h1>{t('error.notFound.title')}</h1>
      <p>{t('error.notFound.body')}</p>
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}

export function ServerErrorPage({ ctx, requestId }: { ctx: PageContext; requestId: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('error.server.title')}>
      <h1>{t('error.server.title')}</h1>
      <p>{t('error.server.body', { id: requestId })}</p>
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}

/** The database cannot be reached for a moment (a failover, a restart): nothing was changed. */
export function UnavailablePage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('error.unavailable.title')}>
      <h1>{t('error.unavailable.title')}</h1>
      <p>{t('error.unavailable.body')}</p>
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}

/** No operator exists yet on this installation: what its administrator does next. */
export function NotSetUpPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('setup.title')}>
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.lead')}</p>
    </Layout>
  );
}

/** A form posted without a valid CSRF token: stale page, or a request forged by another site. */
export function ExpiredFormPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('error.expired.title')}>
      <h1>{t('error.expired.title')}</h1>
      <p>{t('form.csrf')}</p>
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}

/** A request no form of ours sends: wrong media type, malformed or cut-off body, bad field. */
export function BadRequestPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('error.badRequest.title')}>
      <h1>{t('error.badRequest.title')}</h1>
      <p>{t('error.badRequest.body')}</p>
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}

/** A staff page the signed-in role may not open. */
export function ForbiddenPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('error.forbidden.title')}>
      <h1>{t('error.forbidden.title')}</h1>
      <p>{t('error.forbidden.body')}</p>
      <p>
        <a href="/staff/home">{t('staff.nav.home')}</a>
      </p>
    </Layout>
  );
}
