import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxGateway } from '../../integrations/payments/sandbox-gateway.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { formRoute, line } from '../shared/form-schema.ts';
import { SandboxChallengePage, SandboxPayPage } from './sandbox-pages.tsx';

type Options = { assets: Assets; demo: boolean; sandbox: SandboxGateway };
type Route<B = Record<string, string | undefined>> = { Params: { ref: string }; Body: B };

const backTo = (reply: FastifyReply, returnUrl: string) => reply.redirect(returnUrl, 303);

/**
 * The sandbox gateway's hosted pages. They stand for the payment provider's own site: simdesk
 * only sends the payer here and learns the outcome from the gateway, never from this page.
 */
export async function sandboxRoutes(app: FastifyInstance, { assets, demo, sandbox }: Options) {
  app.get<Route>('/sandbox/pay/:ref', async (request, reply) => {
    const payment = await sandbox.row(request.params.ref);
    if (!payment) return reply.callNotFound();
    if (payment.status === 'requires_action') return reply.redirect(`/sandbox/pay/${payment.ref}/3ds`, 303);
    if (payment.status !== 'pending') return backTo(reply, payment.returnUrl);
    const ctx = pageContext(request, assets, demo);
    return sendPage(
      reply,
      <SandboxPayPage ctx={ctx} payment={payment} csrf={reply.csrfToken()} errors={{}} input={{}} />,
    );
  });

  app.post<Route>(
    '/sandbox/pay/:ref/card',
    formRoute({ number: line(32), expiry: line(16), cvc: line(8) }),
    async (request, reply) => {
      const payment = await sandbox.row(request.params.ref);
      if (payment?.method !== 'card') return reply.callNotFound();
      if (payment.status !== 'pending') return reply.redirect(`/sandbox/pay/${payment.ref}`, 303);
      const card = {
        number: request.body?.number ?? '',
        expiry: request.body?.expiry ?? '',
        cvc: request.body?.cvc ?? '',
      };
      const paid = await sandbox.payByCard(payment.ref, card);
      if (!paid.ok) {
        const ctx = pageContext(request, assets, demo);
        const page = (
          <SandboxPayPage
            ctx={ctx}
            payment={payment}
            csrf={reply.csrfToken()}
            errors={paid.error}
            input={{ number: card.number, expiry: card.expiry }}
          />
        );
        return sendPage(reply, page, 400);
      }
      if (paid.value.status === 'requires_action') return reply.redirect(`/sandbox/pay/${payment.ref}/3ds`, 303);
      return backTo(reply, payment.returnUrl);
    },
  );

  app.get<Route>('/sandbox/pay/:ref/3ds', async (request, reply) => {
    const payment = await sandbox.row(request.params.ref);
    if (!payment) return reply.callNotFound();
    if (payment.status !== 'requires_action') return reply.redirect(`/sandbox/pay/${payment.ref}`, 303);
    const ctx = pageContext(request, assets, demo);
    return sendPage(reply, <SandboxChallengePage ctx={ctx} payment={payment} csrf={reply.csrfToken()} />);
  });

  app.post<Route>('/sandbox/pay/:ref/3ds', formRoute({ code: line(16) }), async (request, reply) => {
    const payment = await sandbox.row(request.params.ref);
    if (!payment) return reply.callNotFound();
    await sandbox.confirmChallenge(payment.ref, request.body?.code ?? '');
    return backTo(reply, payment.returnUrl);
  });

  app.post<Route>('/sandbox/pay/:ref/wallet', formRoute({ decision: line(16) }), async (request, reply) => {
    const payment = await sandbox.row(request.params.ref);
    if (payment?.method !== 'ewallet') return reply.callNotFound();
    await sandbox.decideWallet(payment.ref, request.body?.decision === 'approve');
    return backTo(reply, payment.returnUrl);
  });
}
