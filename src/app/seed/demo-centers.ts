import type { LocalizedText } from '../../db/schema/columns.ts';
import type { HoursException, WeeklyHours } from '../../domain/opening-hours.ts';

export type DemoCenter = {
  operator: string;
  code: string;
  name: LocalizedText;
  cityKey: string;
  city: LocalizedText;
  address: LocalizedText;
  latitude: number;
  longitude: number;
  timeZone: string;
  phone: string;
  weekly: WeeklyHours;
  exceptions: HoursException[];
};

const days = (from: number, to: number, opens: string, closes: string): WeeklyHours =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ weekday: from + i, opens, closes }));

/** Mon–Fri 9–20, Saturday 10–18, closed on Sunday. */
const office: WeeklyHours = [...days(1, 5, '09:00', '20:00'), ...days(6, 6, '10:00', '18:00')];
/** A shopping-mall counter, open every day. */
const mall: WeeklyHours = days(1, 7, '10:00', '22:00');
/** Mon–Fri with a lunch break, short Saturday. */
const withLunch: WeeklyHours = [
  ...days(1, 5, '09:00', '13:00'),
  ...days(1, 5, '14:00', '19:00'),
  ...days(6, 6, '10:00', '15:00'),
];
const newYear: HoursException[] = [
  { date: '2026-12-31', intervals: [{ opens: '10:00', closes: '16:00' }] },
  { date: '2027-01-01', intervals: [] },
  { date: '2027-01-02', intervals: [] },
];

const moscow = { ru: 'Москва', en: 'Moscow', zh: '莫斯科' };
const yekaterinburg = { ru: 'Екатеринбург', en: 'Yekaterinburg', zh: '叶卡捷琳堡' };
const novosibirsk = { ru: 'Новосибирск', en: 'Novosibirsk', zh: '新西伯利亚' };

export const DEMO_CENTERS: DemoCenter[] = [
  {
    operator: 'volna',
    code: 'MSK-TVER',
    name: { ru: 'Волна на Тверской', en: 'Volna Tverskaya', zh: '浪潮 特维尔大街店' },
    cityKey: 'moscow',
    city: moscow,
    address: { ru: 'ул. Тверская, 12', en: '12 Tverskaya St', zh: '特维尔大街12号' },
    latitude: 55.7616,
    longitude: 37.6095,
    timeZone: 'Europe/Moscow',
    phone: '+74955550111',
    weekly: office,
    exceptions: newYear,
  },
  {
    operator: 'volna',
    code: 'MSK-AVIA',
    name: { ru: 'Волна в ТЦ «Авиапарк»', en: 'Volna Aviapark mall', zh: '浪潮 航空公园购物中心店' },
    cityKey: 'moscow',
    city: moscow,
    address: { ru: 'Ходынский б-р, 4', en: '4 Khodynsky Blvd', zh: '霍登卡林荫道4号' },
    latitude: 55.7903,
    longitude: 37.5312,
    timeZone: 'Europe/Moscow',
    phone: '+74955550112',
    weekly: mall,
    exceptions: newYear,
  },
  {
    operator: 'volna',
    code: 'KZN-BAUM',
    name: { ru: 'Волна на Баумана', en: 'Volna Baumana', zh: '浪潮 鲍曼街店' },
    cityKey: 'kazan',
    city: { ru: 'Казань', en: 'Kazan', zh: '喀山' },
    address: { ru: 'ул. Баумана, 44', en: '44 Baumana St', zh: '鲍曼街44号' },
    latitude: 55.7887,
    longitude: 49.1221,
    timeZone: 'Europe/Moscow',
    phone: '+78435550113',
    weekly: withLunch,
    exceptions: newYear,
  },
  {
    operator: 'volna',
    code: 'EKB-LENIN',
    name: { ru: 'Волна на проспекте Ленина', en: 'Volna Lenina Ave', zh: '浪潮 列宁大街店' },
    cityKey: 'yekaterinburg',
    city: yekaterinburg,
    address: { ru: 'пр. Ленина, 25', en: '25 Lenina Ave', zh: '列宁大街25号' },
    latitude: 56.8389,
    longitude: 60.6057,
    timeZone: 'Asia/Yekaterinburg',
    phone: '+73435550114',
    weekly: office,
    exceptions: newYear,
  },
  {
    operator: 'volna',
    code: 'NSK-KRAS',
    name: { ru: 'Волна на Красном проспекте', en: 'Volna Krasny Ave', zh: '浪潮 红色大街店' },
    cityKey: 'novosibirsk',
    city: novosibirsk,
    address: { ru: 'Красный пр., 17', en: '17 Krasny Ave', zh: '红色大街17号' },
    latitude: 55.0302,
    longitude: 82.9204,
    timeZone: 'Asia/Novosibirsk',
    phone: '+73835550115',
    weekly: office,
    exceptions: newYear,
  },
  {
    operator: 'volna',
    code: 'VVO-SVET',
    name: { ru: 'Волна на Светланской', en: 'Volna Svetlanskaya', zh: '浪潮 斯维特兰斯卡亚街店' },
    cityKey: 'vladivostok',
    city: { ru: 'Владивосток', en: 'Vladivostok', zh: '符拉迪沃斯托克（海参崴）' },
    address: { ru: 'ул. Светланская, 33', en: '33 Svetlanskaya St', zh: '斯维特兰斯卡亚街33号' },
    latitude: 43.1163,
    longitude: 131.8855,
    timeZone: 'Asia/Vladivostok',
    phone: '+74235550116',
    weekly: withLunch,
    exceptions: newYear,
  },
  {
    operator: 'sever',
    code: 'MSK-ARBAT',
    name: { ru: 'Север на Арбате', en: 'Sever Arbat', zh: '北方 阿尔巴特街店' },
    cityKey: 'moscow',
    city: moscow,
    address: { ru: 'ул. Арбат, 20', en: '20 Arbat St', zh: '阿尔巴特街20号' },
    latitude: 55.7508,
    longitude: 37.5937,
    timeZone: 'Europe/Moscow',
    phone: '+74955550221',
    weekly: office,
    exceptions: newYear,
  },
  {
    operator: 'sever',
    code: 'EKB-MALY',
    name: { ru: 'Север на Малышева', en: 'Sever Malysheva', zh: '北方 马雷舍夫街店' },
    cityKey: 'yekaterinburg',
    city: yekaterinburg,
    address: { ru: 'ул. Малышева, 5', en: '5 Malysheva St', zh: '马雷舍夫街5号' },
    latitude: 56.8347,
    longitude: 60.5968,
    timeZone: 'Asia/Yekaterinburg',
    phone: '+73435550222',
    weekly: withLunch,
    exceptions: newYear,
  },
  {
    operator: 'sever',
    code: 'NSK-LENIN',
    name: { ru: 'Север на площади Ленина', en: 'Sever Lenin Square', zh: '北方 列宁广场店' },
    cityKey: 'novosibirsk',
    city: novosibirsk,
    address: { ru: 'пл. Ленина, 1', en: '1 Lenin Square', zh: '列宁广场1号' },
    latitude: 55.0288,
    longitude: 82.9226,
    timeZone: 'Asia/Novosibirsk',
    phone: '+73835550223',
    weekly: mall,
    exceptions: newYear,
  },
];
