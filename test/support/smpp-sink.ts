import * as smpp from 'smpp';

/** A real SMPP 3.4 server (SMSC side) on a free local port that keeps every submitted message. */
export async function startSmppSink(credentials = { systemId: 'simdesk', password: 'secret' }) {
  const received: { to: string; from: string; text: string }[] = [];
  const server = smpp.createServer({}, (session) => {
    session.on('bind_transceiver', (pdu: smpp.PDU) => {
      const ok = pdu.system_id === credentials.systemId && pdu.password === credentials.password;
      session.send(pdu.response(ok ? {} : { command_status: smpp.ESME_RBINDFAIL }));
    });
    session.on('submit_sm', (pdu: smpp.PDU) => {
      const message = (pdu.message_payload ?? pdu.short_message) as { message?: string } | string;
      received.push({
        to: String(pdu.destination_addr),
        from: String(pdu.source_addr),
        text: typeof message === 'string' ? message : String(message.message ?? ''),
      });
      session.send(pdu.response({ message_id: String(received.length) }));
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `smpp://${credentials.systemId}:${credentials.password}@127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
