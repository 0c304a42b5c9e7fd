import type { MailboxMessage } from '../../app/outbox/mailbox.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';

/** Demo mode only: the e-mails the service has queued and sent. */
export function MailboxPage({ ctx, messages }: { ctx: PageContext; messages: MailboxMessage[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mailbox.title')}>
      <h1>{t('mailbox.title')}</h1>
      <p>{t('mailbox.lead')}</p>
      {messages.length === 0 && <p>{t('mailbox.empty')}</p>}
      {messages.map((m) => (
        <article class="mail" key={m.id} aria-labelledby={`mail-${m.id}`}>
          <h2 id={`mail-${m.id}`}>{m.subject ?? t('mailbox.sms')}</h2>
          <p class="hint">
            {t('mailbox.to', { to: m.to })} ·{' '}
            <time dateTime={m.createdAt.toISOString()}>{m.createdAt.toISOString()}</time> ·{' '}
            {t(`mailbox.status.${m.status}`)}
          </p>
          <pre>{m.text ?? t('mailbox.redacted')}</pre>
        </article>
      ))}
    </Layout>
  );
}
