import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { compileMetadataFilter, parseIsoDate } from '../../src/knowledge/retrieval/index.js';

const chunk = {
  lang: 'en',
  year: 2021,
  draft: false,
  owner: null,
  tags: ['billing', 'refunds'],
  updated: '2024-03-05T10:00:00Z',
  source: { kind: 'faq', depth: 2 },
  'a.b': 'dotted key',
};

describe('compileMetadataFilter matches', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['equality', { lang: 'en' }, true],
    ['equality mismatch', { lang: 'fr' }, false],
    ['boolean equality', { draft: false }, true],
    ['number equality is strict', { year: '2021' }, false],
    ['several fields are ANDed', { lang: 'en', year: 2020 }, false],
    ['array field contains the value', { tags: 'refunds' }, true],
    ['null matches null', { owner: null }, true],
    ['null matches a missing field', { missing: null }, true],
    ['$eq', { year: { $eq: 2021 } }, true],
    ['$ne', { lang: { $ne: 'fr' } }, true],
    ['$ne on an array field', { tags: { $ne: 'billing' } }, false],
    ['$ne matches a missing field', { missing: { $ne: 'x' } }, true],
    ['$in', { lang: { $in: ['de', 'en'] } }, true],
    ['$in on an array field', { tags: { $in: ['shipping', 'billing'] } }, true],
    ['$in without a match', { lang: { $in: ['de'] } }, false],
    ['empty $in matches nothing', { lang: { $in: [] } }, false],
    ['$nin', { lang: { $nin: ['de', 'fr'] } }, true],
    ['$gt number', { year: { $gt: 2020 } }, true],
    ['$gte number boundary', { year: { $gte: 2021 } }, true],
    ['$lt number boundary', { year: { $lt: 2021 } }, false],
    ['range', { year: { $gte: 2000, $lte: 2021 } }, true],
    ['number comparison needs a number field', { lang: { $gt: 1 } }, false],
    ['$gt ISO date', { updated: { $gt: '2024-03-01' } }, true],
    ['$lt ISO date-time with offset', { updated: { $lt: '2024-03-05T13:00:00+02:00' } }, true],
    ['$gte ISO date-time with offset', { updated: { $gte: '2024-03-05T11:00:00+02:00' } }, true],
    ['$gt ISO date-time, equal instant', { updated: { $gt: '2024-03-05T12:00:00+02:00' } }, false],
    ['$lte date without a date field', { year: { $lte: '2024-01-01' } }, false],
    ['$exists true', { source: { $exists: true } }, true],
    ['$exists false', { missing: { $exists: false } }, true],
    ['$exists on a present field', { lang: { $exists: false } }, false],
    ['dotted path into nested objects', { 'source.kind': 'faq' }, true],
    ['dotted path comparison', { 'source.depth': { $lt: 3 } }, true],
    ['a literal dotted key wins', { 'a.b': 'dotted key' }, true],
    ['$or', { $or: [{ lang: 'fr' }, { year: 2021 }] }, true],
    ['$and', { $and: [{ lang: 'en' }, { year: { $gt: 2022 } }] }, false],
    ['nested logic', { lang: 'en', $or: [{ draft: true }, { tags: { $in: ['billing'] } }] }, true],
    ['empty filter matches everything', {}, true],
  ];
  it.each(cases)('%s', (_name, filter, expected) => {
    expect(compileMetadataFilter(filter)(chunk)).toBe(expected);
  });
});

describe('compileMetadataFilter rejects invalid filters', () => {
  const invalid: Array<[string, unknown, string]> = [
    ['not an object', 'lang=en', 'filter must be an object'],
    ['an array', [{ lang: 'en' }], 'filter must be an object'],
    ['an unknown operator', { year: { $regex: 'x' } }, 'filter.year.$regex is not a known operator'],
    ['a nested object without operators', { source: { kind: 'faq' } }, 'filter.source.kind is not a known'],
    ['an array as equality value', { tags: ['a', 'b'] }, 'use { $in'],
    ['an object in $in', { lang: { $in: [{}] } }, 'filter.lang.$in[0]'],
    ['$in not an array', { lang: { $in: 'en' } }, 'must be an array'],
    ['$gt with a non-date string', { year: { $gt: 'soon' } }, 'ISO-8601'],
    ['$gt with a boolean', { year: { $gt: true } }, 'ISO-8601'],
    ['$exists not boolean', { lang: { $exists: 1 } }, 'true or false'],
    ['an empty operator object', { lang: {} }, 'at least one operator'],
    ['a top-level unknown $ key', { $not: { lang: 'en' } }, 'filter.$not'],
    ['$or not an array', { $or: { lang: 'en' } }, 'non-empty array'],
    ['$and empty', { $and: [] }, 'non-empty array'],
    ['$or with an empty filter', { $or: [{}] }, 'must not be empty'],
    ['a non-finite number', { year: Number.NaN }, 'finite number'],
  ];
  it.each(invalid)('%s', (_name, filter, message) => {
    let error: unknown;
    try {
      compileMetadataFilter(filter);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain(message);
    expect((error as ValidationError).param).toBe('filter');
  });
});

describe('parseIsoDate', () => {
  it.each([
    ['2024-03-05', Date.UTC(2024, 2, 5)],
    ['2024-03-05T10:00', Date.UTC(2024, 2, 5, 10)],
    ['2024-03-05T10:00:30.5Z', Date.UTC(2024, 2, 5, 10, 0, 30, 500)],
    ['2024-03-05 10:00:00+0200', Date.UTC(2024, 2, 5, 8)],
  ])('%s', (text, expected) => {
    expect(parseIsoDate(text)).toBe(expected);
  });
  it.each(['2024-13-45', 'March 5', '2024/03/05', ''])('rejects %s', (text) => {
    expect(parseIsoDate(text)).toBeNaN();
  });
});
