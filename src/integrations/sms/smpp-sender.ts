import * as smpp from 'smpp';
import type { Sms, SmsSender } from './sms-sender.ts';

/** GSM 7-bit text fits 160 characters, anything else (Cyrillic, Chinese) 70 as UCS-2. */
const fitsOneSms = (text: string) => text.length <= (/^[\x20-\x7e\n\r]*$/.test(text) ? 160 : 70);

/**
 * SMPP 3.4 transceiver client: binds on first use, keeps the session open with enquire_link
 * and binds again after the SMSC drops it. Non-Latin text is sent as UCS-2 by the library; a
 * text longer than one SMS goes in the `message_payload` parameter, which the SMSC splits and
 * the phone joins, instead of overflowing the 254-octet `short_message`. Throttling and
 * connection failures are retryable; other rejections are not.
 */
export function smppSender(url: string, sourceAddr: string): SmsSender & { close(): Promise<void> } {
  const { username, password, host, protocol } = new URL(url);
  let session: Promise<smpp.Session> | null = null;

  const bind = () =>
    new Promise<smpp.Session>((resolve, reject) => {
      const s = smpp.connect({ url: `${protocol}//${host}`, auto_enquire_link_period: 30_000 });
      const fail = (error: unknown) => {
        session = null;
        reject(Object.assign(error instanceof Error ? error : new Error(String(error)), { retryable: true }));
      };
      s.on('error', fail);
      s.on('close', () => {
        session = null;
      });
      s.bind_transceiver({ system_id: decodeURIComponent(username), password: decodeURIComponent(password) }, (pdu) =>
        pdu.command_status === 0 ? resolve(s) : fail(new Error(`SMPP bind failed: ${pdu.command_status}`)),
      );
    });

  return {
    async send({ to, text }: Sms) {
      session ??= bind();
      const s = await session;
      await new Promise<void>((resolve, reject) => {
        s.submit_sm(
          {
            source_addr: sourceAddr,
            destination_addr: to.replace(/^\+/, ''),
            dest_addr_ton: 1,
            ...(fitsOneSms(text) ? { short_message: text } : { message_payload: text }),
          },
          (pdu) => {
            if (pdu.command_status === 0) return resolve();
            const error = new Error(`SMSC refused the message: status ${pdu.command_status}`);
            reject(Object.assign(error, { retryable: pdu.command_status === smpp.ESME_RTHROTTLED }));
          },
        );
      });
    },
    close: () =>
      session
        ? session.then((s) => new Promise<void>((resolve) => s.close(() => resolve()))).catch(() => undefined)
        : Promise.resolve(),
  };
}
