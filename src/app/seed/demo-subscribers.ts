import type { Locale } from '../../db/schema/columns.ts';

export const DEMO_PASSWORD = 'simdesk-demo';

export type DemoSubscriber = {
  operator: string;
  fullName: string;
  email: string | null;
  secondPhone: string | null;
  locale: Locale;
  citizenship: string;
  /** Voice lines first; `data` lines are data-only (a tablet or a router). */
  lines: { msisdn: string; kind: 'voice' | 'data' }[];
};

const voice = (msisdn: string) => ({ msisdn, kind: 'voice' as const });
const data = (msisdn: string) => ({ msisdn, kind: 'data' as const });

export const DEMO_SUBSCRIBERS: DemoSubscriber[] = [
  {
    operator: 'volna',
    fullName: 'Иванова Анна Сергеевна',
    email: 'anna.ivanova@example.ru',
    secondPhone: '+79161110002',
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79161110001'), data('+79161110003')],
  },
  {
    operator: 'volna',
    fullName: 'Ли Вэй (李伟)',
    email: 'li.wei@example.cn',
    secondPhone: null,
    locale: 'zh',
    citizenship: 'CN',
    lines: [voice('+79161110011')],
  },
  {
    operator: 'volna',
    fullName: 'John Smith',
    email: 'john.smith@example.com',
    secondPhone: '+447700900123',
    locale: 'en',
    citizenship: 'GB',
    lines: [voice('+79161110021')],
  },
  {
    operator: 'volna',
    fullName: 'Петров Дмитрий Олегович',
    email: 'd.petrov@example.ru',
    secondPhone: '+79161110032',
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79161110031')],
  },
  {
    operator: 'volna',
    fullName: 'Смирнова Екатерина Игоревна',
    email: 'ekaterina.s@example.ru',
    secondPhone: null,
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79161110041'), voice('+79161110042')],
  },
  {
    operator: 'volna',
    fullName: 'Ван Фан (王芳)',
    email: 'wang.fang@example.cn',
    secondPhone: '+8613800138000',
    locale: 'zh',
    citizenship: 'CN',
    lines: [voice('+79161110051')],
  },
  {
    operator: 'volna',
    fullName: 'Кузнецов Алексей Павлович',
    email: 'a.kuznetsov@example.ru',
    secondPhone: '+79161110062',
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79161110061')],
  },
  {
    operator: 'volna',
    fullName: 'Emily Brown',
    email: 'emily.brown@example.com',
    secondPhone: null,
    locale: 'en',
    citizenship: 'US',
    lines: [voice('+79161110071'), data('+79161110072')],
  },
  {
    operator: 'volna',
    fullName: 'Новикова Мария Андреевна',
    email: 'maria.novikova@example.ru',
    secondPhone: '+79161110082',
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79161110081')],
  },
  {
    operator: 'volna',
    fullName: 'Попов Игорь Викторович',
    email: null,
    secondPhone: '+79161110092',
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79161110091')],
  },
  {
    operator: 'volna',
    fullName: 'Чжан Мин (张明)',
    email: 'zhang.ming@example.cn',
    secondPhone: null,
    locale: 'zh',
    citizenship: 'CN',
    lines: [voice('+79161110101')],
  },
  {
    operator: 'volna',
    fullName: 'Соколова Ольга Николаевна',
    email: 'olga.sokolova@example.ru',
    secondPhone: null,
    locale: 'ru',
    citizenship: 'RU',
    lines: [data('+79161110111')],
  },
  {
    operator: 'sever',
    fullName: 'Волков Сергей Александрович',
    email: 'sergey.volkov@example.ru',
    secondPhone: '+79222220002',
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79222220001')],
  },
  {
    operator: 'sever',
    fullName: 'Лебедева Татьяна Юрьевна',
    email: 'tatiana.l@example.ru',
    secondPhone: null,
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79222220011'), data('+79222220012')],
  },
  {
    operator: 'sever',
    fullName: 'Liu Yang (刘洋)',
    email: 'liu.yang@example.cn',
    secondPhone: null,
    locale: 'zh',
    citizenship: 'CN',
    lines: [voice('+79222220021')],
  },
  {
    operator: 'sever',
    fullName: 'Морозов Андрей Ильич',
    email: 'a.morozov@example.ru',
    secondPhone: '+79222220032',
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79222220031')],
  },
  {
    operator: 'sever',
    fullName: 'Michael Green',
    email: 'michael.green@example.com',
    secondPhone: null,
    locale: 'en',
    citizenship: 'DE',
    lines: [voice('+79222220041')],
  },
  {
    operator: 'sever',
    fullName: 'Фёдорова Наталья Петровна',
    email: 'n.fedorova@example.ru',
    secondPhone: '+79222220052',
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79222220051')],
  },
  {
    operator: 'sever',
    fullName: 'Егоров Павел Сергеевич',
    email: 'p.egorov@example.ru',
    secondPhone: null,
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79222220061')],
  },
  {
    operator: 'sever',
    fullName: 'Зайцева Ирина Владимировна',
    email: 'irina.z@example.ru',
    secondPhone: null,
    locale: 'ru',
    citizenship: 'RU',
    lines: [voice('+79222220071')],
  },
];

/**
 * The passport each demo subscriber signed the contract with, for the counter's in-person check:
 * citizens "4516 " and the last six digits of the first line, foreigners "FX" and the last seven.
 */
export function demoDocument(s: DemoSubscriber): { docType: 'passport_ru' | 'passport_foreign'; docNumber: string } {
  const digits = s.lines[0]?.msisdn.replace(/\D/g, '') ?? '';
  return s.citizenship === 'RU'
    ? { docType: 'passport_ru', docNumber: `4516 ${digits.slice(-6)}` }
    : { docType: 'passport_foreign', docNumber: `FX${digits.slice(-7)}` };
}
