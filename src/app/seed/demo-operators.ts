import type { LocalizedText } from '../../db/schema/columns.ts';
import type { FeeRule } from '../../domain/fees.ts';

/** Fictional brands for the demo; every name, number and address here is made up. */
export type DemoOperator = {
  slug: string;
  name: LocalizedText;
  hostnames: string[];
  supportPhone: string;
  supportEmail: string;
  esimEnabled: boolean;
  smdpAddress: string | null;
  onlineReplacement: 'everyone' | 'citizens_only' | 'nobody';
  coolingOffHours: number;
  lockReleaseHours: number;
  fourEyesRiskThreshold: number;
  /** Issuer digits of its ICCIDs and the MNC of its IMSIs. */
  issuer: string;
  mnc: string;
  fees: Omit<FeeRule, 'id'>[];
  zones: {
    code: string;
    name: LocalizedText;
    cities: string[];
    postcodePrefixes: string[];
    isDefault: boolean;
    minDays: number;
    maxDays: number;
    courierFeeMinor: number;
  }[];
};

const any = { reason: null, simType: null, channel: null, delivery: null, freeIfFirstWithinMonths: null };

export const DEMO_OPERATORS: DemoOperator[] = [
  {
    slug: 'volna',
    name: { ru: 'Волна Мобайл', en: 'Volna Mobile', zh: '浪潮移动' },
    hostnames: ['localhost', '127.0.0.1'],
    supportPhone: '+78005550101',
    supportEmail: 'support@volna.example',
    esimEnabled: true,
    smdpAddress: 'smdp.volna.example',
    onlineReplacement: 'everyone',
    coolingOffHours: 72,
    lockReleaseHours: 24,
    fourEyesRiskThreshold: 60,
    issuer: '01',
    mnc: '97',
    fees: [
      { ...any, amountMinor: 30000 },
      { ...any, reason: 'damaged', amountMinor: 30000, freeIfFirstWithinMonths: 12 },
      { ...any, reason: 'not_working', amountMinor: 0 },
      { ...any, reason: 'switch_to_esim', amountMinor: 0 },
      { ...any, simType: 'esim', amountMinor: 20000 },
      { ...any, channel: 'counter', amountMinor: 20000 },
    ],
    zones: [
      {
        code: 'moscow',
        name: { ru: 'Москва', en: 'Moscow', zh: '莫斯科' },
        cities: ['moscow'],
        postcodePrefixes: ['101', '102', '103', '104', '105', '107', '108', '109', '11', '12'],
        isDefault: false,
        minDays: 7,
        maxDays: 10,
        courierFeeMinor: 0,
      },
      {
        code: 'regions',
        name: { ru: 'Регионы России', en: 'Other regions of Russia', zh: '俄罗斯其他地区' },
        cities: [],
        postcodePrefixes: [],
        isDefault: true,
        minDays: 7,
        maxDays: 21,
        courierFeeMinor: 35000,
      },
    ],
  },
  {
    slug: 'sever',
    name: { ru: 'Север Телеком', en: 'Sever Telecom', zh: '北方电信' },
    hostnames: ['sever.localhost'],
    supportPhone: '+78005550202',
    supportEmail: 'help@sever.example',
    esimEnabled: false,
    smdpAddress: null,
    onlineReplacement: 'citizens_only',
    coolingOffHours: 48,
    lockReleaseHours: 48,
    fourEyesRiskThreshold: 50,
    issuer: '02',
    mnc: '96',
    fees: [
      { ...any, amountMinor: 50000 },
      { ...any, reason: 'not_working', amountMinor: 0, freeIfFirstWithinMonths: null },
    ],
    zones: [
      {
        code: 'russia',
        name: { ru: 'Вся Россия', en: 'All of Russia', zh: '俄罗斯全境' },
        cities: [],
        postcodePrefixes: [],
        isDefault: true,
        minDays: 10,
        maxDays: 21,
        courierFeeMinor: 25000,
      },
    ],
  },
];
