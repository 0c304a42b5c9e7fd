import { expect, test } from 'vitest';
import { sameDocument } from './identity-check.ts';

const onFile = { docType: 'passport_ru', docNumber: '45 06 123456' } as const;

test('the same document however the number is spaced, dashed or cased', () => {
  for (const docNumber of ['4506123456', '45 06 123456', '4506-123456', ' 45-06 123 456 '])
    expect(sameDocument({ docType: 'passport_ru', docNumber }, onFile), docNumber).toBe(true);
  expect(
    sameDocument(
      { docType: 'passport_foreign', docNumber: 'ea 1234567' },
      { docType: 'passport_foreign', docNumber: 'EA1234567' },
    ),
  ).toBe(true);
});

test('another number, another type or nothing typed is not the document on file', () => {
  expect(sameDocument({ docType: 'passport_ru', docNumber: '4506123457' }, onFile)).toBe(false);
  expect(sameDocument({ docType: 'passport_foreign', docNumber: '4506123456' }, onFile)).toBe(false);
  expect(sameDocument({ docType: 'passport_ru', docNumber: ' - ' }, { ...onFile, docNumber: '' })).toBe(false);
  expect(sameDocument({ docType: 'passport_ru', docNumber: '450612345' }, onFile)).toBe(false);
});
