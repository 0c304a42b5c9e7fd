import type { FastifyInstance } from 'fastify';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import { FaqPage } from '../views/faq-page.tsx';
import { HomePage } from '../views/home-page.tsx';

export async function publicPages(app: FastifyInstance, { assets, demo }: { assets: Assets; demo: boolean }) {
  app.get('/', async (request, reply) => {
    const profile = await app.operatorProfile(request.operator);
    return sendPage(reply, <HomePage ctx={pageContext(request, assets, demo)} profile={profile} />);
  });
  app.get('/faq', async (request, reply) => {
    const profile = await app.operatorProfile(request.operator);
    return sendPage(reply, <FaqPage ctx={pageContext(request, assets, demo)} profile={profile} />);
  });
}
