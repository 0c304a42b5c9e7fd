import type { sandboxPayments } from '../../db/schema/sandbox.ts';
import { formatMoney } from '../../i18n/translate.ts';
import { SANDBOX_3DS_CODE, SANDBOX_CARDS } from '../../integrations/payments/sandbox-gateway.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../shared/form.tsx';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';

type SandboxPayment = typeof sandboxPayments.$inferSelect;
type Props = { ctx: PageContext; payment: SandboxPayment; csrf: string };

function Amount({ ctx, payment }: Omit<Props, 'csrf'>) {
  return (
    <p>
      {ctx.t('sandbox.amount', { amount: formatMoney(ctx.locale, payment.amountMinor, payment.currency) })}
      <br />
      {payment.description}
    </p>
  );
}

/** The sandbox gateway's hosted payment page: the card form, or the e-wallet confirmation. */
export function SandboxPayPage({
  ctx,
  payment,
  csrf,
  errors,
  input,
}: Props & { errors: FieldErrors; input: { number?: string; expiry?: string } }) {
  const { t } = ctx;
  const title = t('sandbox.title');
  const action = `/sandbox/pay/${payment.ref}`;
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{title}</h1>
      <p class="notice">{t('sandbox.notice')}</p>
      <Amount ctx={ctx} payment={payment} />
      {payment.method === 'card' ? (
        <>
          <form method="post" action={`${action}/card`} novalidate>
            <CsrfField token={csrf} />
            <Field
              t={t}
              name="number"
              label={t('sandbox.card.number')}
              inputmode="numeric"
              autocomplete="cc-number"
              value={input.number ?? ''}
              errors={errors}
            />
            <Field
              t={t}
              name="expiry"
              label={t('sandbox.card.expiry')}
              hint={t('sandbox.card.expiry.hint')}
              autocomplete="cc-exp"
              value={input.expiry ?? ''}
              errors={errors}
            />
            <Field
              t={t}
              name="cvc"
              label={t('sandbox.card.cvc')}
              inputmode="numeric"
              autocomplete="cc-csc"
              errors={errors}
            />
            <button type="submit" class="button">
              {t('sandbox.pay')}
            </button>
          </form>
          <h2>{t('sandbox.testCards')}</h2>
          <ul>
            <li>
              <code>{SANDBOX_CARDS.success}</code> {t('sandbox.testCards.success')}
            </li>
            <li>
              <code>{SANDBOX_CARDS.declined}</code> {t('sandbox.testCards.declined')}
            </li>
            <li>
              <code>{SANDBOX_CARDS.insufficientFunds}</code> {t('sandbox.testCards.insufficient')}
            </li>
            <li>
              <code>{SANDBOX_CARDS.challenge}</code> {t('sandbox.testCards.challenge')}
            </li>
          </ul>
        </>
      ) : (
        <form method="post" action={`${action}/wallet`}>
          <CsrfField token={csrf} />
          <p>{t('sandbox.wallet.ask')}</p>
          <button type="submit" name="decision" value="approve" class="button">
            {t('sandbox.wallet.approve')}
          </button>{' '}
          <button type="submit" name="decision" value="decline" class="button secondary">
            {t('sandbox.wallet.decline')}
          </button>
        </form>
      )}
    </Layout>
  );
}

/** The card issuer's 3-D Secure check, as the sandbox plays it. */
export function SandboxChallengePage({ ctx, payment, csrf }: Props) {
  const { t } = ctx;
  const title = t('sandbox.challenge.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <Amount ctx={ctx} payment={payment} />
      <p>{t('sandbox.challenge.hint', { code: SANDBOX_3DS_CODE, last4: payment.cardLast4 ?? '' })}</p>
      <form method="post" action={`/sandbox/pay/${payment.ref}/3ds`} novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name="code"
          label={t('sandbox.challenge.code')}
          inputmode="numeric"
          autocomplete="one-time-code"
          errors={{}}
        />
        <button type="submit" class="button">
          {t('sandbox.challenge.confirm')}
        </button>
      </form>
    </Layout>
  );
}
