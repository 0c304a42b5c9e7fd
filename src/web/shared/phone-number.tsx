import { formatMsisdn } from '../../domain/msisdn.ts';

/** A phone number in international format that never breaks across lines. */
export const PhoneNumber = ({ msisdn }: { msisdn: string }) => <span class="nowrap">{formatMsisdn(msisdn)}</span>;

/** The same for a number inside a translated sentence: its spaces do not break. */
export const phoneText = (msisdn: string) => formatMsisdn(msisdn).replaceAll(' ', '\u00a0');
