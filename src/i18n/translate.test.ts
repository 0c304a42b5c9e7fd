import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, test } from 'vitest';
import { en } from './messages/en.ts';
import { ru } from './messages/ru.ts';
import { zh } from './messages/zh.ts';
import { formatMoney, negotiateLocale, translator } from './translate.ts';

/** Names of the ICU arguments a message uses, e.g. {operator} or {count, plural, …}. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: ReturnType<typeof parse>) => {
    for (const el of elements) {
      if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date) names.add(el.value);
      if (el.type === TYPE.plural || el.type === TYPE.select) {
        names.add(el.value);
        for (const option of Object.values(el.options)) walk(option.value);
      }
    }
  };
  walk(parse(message));
  return [...names].sort();
}

describe('catalogues', () => {
  test.each(Object.keys(en))('%s uses the same arguments in ru, en and zh', (key) => {
    const k = key as keyof typeof en;
    expect(argumentsOf(ru[k]), 'ru').toEqual(argumentsOf(en[k]));
    expect(argumentsOf(zh[k]), 'zh').toEqual(argumentsOf(en[k]));
    expect(ru[k].trim(), 'ru').not.toBe('');
    expect(zh[k].trim(), 'zh').not.toBe('');
  });

  test('plurals follow each language', () => {
    expect(translator('ru')('home.center.body', { count: 3 })).toContain('3 наших салонов');
    expect(translator('ru')('home.center.body', { count: 1 })).toContain('1 нашего салона');
    expect(translator('en')('home.center.body', { count: 1 })).toContain('1 service center.');
  });
});

test('locale negotiation ignores junk and falls back to Russian', () => {
  expect(negotiateLocale(['zh-CN', 'en'])).toBe('zh');
  expect(negotiateLocale(['en-US'])).toBe('en');
  expect(negotiateLocale(['*', 'not a tag!', 'de'])).toBe('ru');
});

test('money is shown in the visitor’s conventions', () => {
  expect(formatMoney('ru', 30000, 'RUB').replace(/\s/g, ' ')).toBe('300 ₽');
  expect(formatMoney('en', 35050, 'RUB')).toBe('₽350.50');
});
