import { describe, expect, it } from 'vitest';
import { createPiiScanner, findPii, type PiiType } from '../../src/guard/pii/index.js';

type Expected = Array<[PiiType, string]>;

/** Findings as [type, exact matched text]; also checks that value is the span's text. */
function found(text: string, options?: Parameters<typeof findPii>[1]): Expected {
  return findPii(text, options).map((finding) => {
    expect(text.slice(finding.start, finding.end)).toBe(finding.value);
    return [finding.type, finding.value];
  });
}

// Assembled at run time so that no secret scanner flags this file.
const OPENAI_KEY = ['sk-', 'proj-', 'abcdefGHIJ1234567890xyzXYZ'].join('');
const AWS_KEY = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');

describe('EMAIL', () => {
  it.each<[string, Expected]>([
    ['mail jane.doe@example.com today', [['EMAIL', 'jane.doe@example.com']]],
    ['a+tag@sub.example.co.uk.', [['EMAIL', 'a+tag@sub.example.co.uk']]],
    ['<x_y-z@domain.io>', [['EMAIL', 'x_y-z@domain.io']]],
    ['邮箱zhang.san@163.com，谢谢', [['EMAIL', 'zhang.san@163.com']]],
    ['ping @mention and user@localhost', []],
    ['a..b@x.com', []],
    ['john@example and me@123.456', []],
  ])('%j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});

describe('PHONE', () => {
  it.each<[string, Expected]>([
    ['call +1 415 555 2671 now', [['PHONE', '+1 415 555 2671']]],
    ['+14155552671', [['PHONE', '+14155552671']]],
    ['office (415) 555-2671.', [['PHONE', '(415) 555-2671']]],
    [
      '415-555-2671 or 415.555.2671',
      [
        ['PHONE', '415-555-2671'],
        ['PHONE', '415.555.2671'],
      ],
    ],
    ['1-800-555-0199', [['PHONE', '1-800-555-0199']]],
    ['desk 415-555-2671 x123, thanks', [['PHONE', '415-555-2671 x123']]],
    ['London +44 20 7946 0958', [['PHONE', '+44 20 7946 0958']]],
    ['London +44 (0)20 7946 0958', [['PHONE', '+44 (0)20 7946 0958']]],
    [
      'London 020 7946 0958, mobile 07700 900123',
      [
        ['PHONE', '020 7946 0958'],
        ['PHONE', '07700 900123'],
      ],
    ],
    [
      'Paris 01 23 45 67 89 / +33 1 23 45 67 89',
      [
        ['PHONE', '01 23 45 67 89'],
        ['PHONE', '+33 1 23 45 67 89'],
      ],
    ],
    ['Berlin 030 1234567', [['PHONE', '030 1234567']]],
    ['手机13812345678联系', [['PHONE', '13812345678']]],
    ['电话 +86 138 1234 5678。', [['PHONE', '+86 138 1234 5678']]],
    ['138-1234-5678', [['PHONE', '138-1234-5678']]],
    ['(+86) 13812345678', [['PHONE', '(+86) 13812345678']]],
    ['0086 13812345678', [['PHONE', '0086 13812345678']]],
    ['phone: 4155552671', [['PHONE', '4155552671']]],
    ['São Paulo (11) 96123-4567', [['PHONE', '(11) 96123-4567']]],
    ['Moscow 8 (912) 345-67-89', [['PHONE', '8 (912) 345-67-89']]],
    ['Madrid 912 34 56 78', [['PHONE', '912 34 56 78']]],
    ['Tbilisi (+995) 584-228-237', [['PHONE', '(+995) 584-228-237']]],
    ['Budapest +36 70/222-3419', [['PHONE', '+36 70/222-3419']]],
    ['Oslo, ring my phone 63 72 07 24', [['PHONE', '63 72 07 24']]],
    ['+49089526687658 (Luhn-valid, still a phone)', [['PHONE', '+49089526687658']]],
  ])('finds %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    'call 911',
    'ext 555-1234',
    'zip 12345 and 12345-6789',
    'on 2023-10-15 at 10:30',
    'on 15.10.2023 or 10/15/2023',
    'on 12/05/2023 10:30',
    'pi is 3.14159265358',
    'revenue 1,234,567,890',
    'order 4155552671 shipped',
    'id 12812345678 is not valid',
    'run 138123456789 has twelve digits',
    'population 1 234 567 890',
    'in 2019 2020 2021 and 2022',
    'scores 85 92 78 64 88',
    'ISBN 978-3-16-148410-0',
    'SSN-shaped but invalid 666-12-3456',
    'value 1.3730698372',
    'ref INV-0069-935182',
    'id 00459079-0826-3412-4005-498532690863',
    // Two-digit pairs are a Danish/Norwegian number only with a head of 2–9 (see guard-pii-local.test.ts).
    'eight digits 13 72 07 24 without a cue',
  ])('does not take %j for a phone', (text) => {
    expect(found(text).filter(([type]) => type === 'PHONE')).toEqual([]);
  });
});

describe('CREDIT_CARD', () => {
  it.each<[string, Expected]>([
    ['visa 4111 1111 1111 1111 exp 12/25', [['CREDIT_CARD', '4111 1111 1111 1111']]],
    ['4012888888881881', [['CREDIT_CARD', '4012888888881881']]],
    ['13-digit visa 4222222222222', [['CREDIT_CARD', '4222222222222']]],
    ['mc 5555-5555-5555-4444', [['CREDIT_CARD', '5555-5555-5555-4444']]],
    ['mc2 2223003122003222', [['CREDIT_CARD', '2223003122003222']]],
    ['amex 3782 822463 10005', [['CREDIT_CARD', '3782 822463 10005']]],
    ['discover 6011 0009 9013 9424', [['CREDIT_CARD', '6011 0009 9013 9424']]],
    ['jcb 3530111333300000', [['CREDIT_CARD', '3530111333300000']]],
    ['diners 30569309025904', [['CREDIT_CARD', '30569309025904']]],
    ['unionpay 6200000000000005', [['CREDIT_CARD', '6200000000000005']]],
    ['order 12 4111 1111 1111 1111', [['CREDIT_CARD', '4111 1111 1111 1111']]],
  ])('finds %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    ['Luhn fails', '4111 1111 1111 1112'],
    ['Luhn passes, no issuer starts with 9', '9111 1111 1111 1110'],
    ['Amex prefix with a Visa length', '3782822463100052'],
    ['too short', '4111 1111 111'],
    ['twenty digits', '41111111111111111115'],
    ['inside a dashed identifier', 'id 57065890-5659-8632-9795-357842500206'],
  ])('rejects %s (%j)', (_label, text) => {
    expect(found(text).filter(([type]) => type === 'CREDIT_CARD')).toEqual([]);
  });
});

describe('IBAN', () => {
  it.each<[string, Expected]>([
    ['IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX', [['IBAN', 'DE89 3704 0044 0532 0130 00']]],
    ['GB29 NWBK 6016 1331 9268 19', [['IBAN', 'GB29 NWBK 6016 1331 9268 19']]],
    ['GB82WEST12345698765432.', [['IBAN', 'GB82WEST12345698765432']]],
    ['FR14 2004 1010 0505 0001 3M02 606', [['IBAN', 'FR14 2004 1010 0505 0001 3M02 606']]],
    [
      'NL91ABNA0417164300 and CH9300762011623852957',
      [
        ['IBAN', 'NL91ABNA0417164300'],
        ['IBAN', 'CH9300762011623852957'],
      ],
    ],
    ['IT60X0542811101000000123456', [['IBAN', 'IT60X0542811101000000123456']]],
    ['NO9386011117947', [['IBAN', 'NO9386011117947']]],
    // Typed in lower case (ISO 13616 prints upper case; people do not): the checksum decides.
    ['iban de89 3704 0044 0532 0130 00', [['IBAN', 'de89 3704 0044 0532 0130 00']]],
    ['pay to gb82west12345698765432.', [['IBAN', 'gb82west12345698765432']]],
    ['Iban: Nl91Abna0417164300', [['IBAN', 'Nl91Abna0417164300']]],
  ])('finds %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    ['bad check digits', 'DE88 3704 0044 0532 0130 00'],
    ['one character short', 'DE89 3704 0044 0532 0130 0'],
    ['runs on into a longer token', 'DE89370400440532013000123'],
    ['not an IBAN country', 'XX89 3704 0044 0532 0130 00'],
    ['lower case, bad check digits', 'iban de88 3704 0044 0532 0130 00'],
    ['lower case, last digit changed', 'iban de89 3704 0044 0532 0130 01'],
    ['lower case, runs on into a longer token', 'de89370400440532013000abc'],
    ['lower-case words of the right length', 'we met at10 am by the old mill on friday'],
    // Mod-97 passes one string in 97; prose that happens to pass is mostly letters.
    ['lower-case words that pass mod-97', 'see de96 meetingroomsixteen'],
  ])('rejects %s (%j)', (_label, text) => {
    expect(found(text).filter(([type]) => type === 'IBAN')).toEqual([]);
  });
});

describe('CN_ID', () => {
  it.each<[string, Expected]>([
    ['身份证号码为11010519491231002X。', [['CN_ID', '11010519491231002X']]],
    ['id 44030419900307123x', [['CN_ID', '44030419900307123x']]],
    ['510107198506158718', [['CN_ID', '510107198506158718']]],
    ['leap day 310115200002290048', [['CN_ID', '310115200002290048']]],
    ['Hong Kong 810000199001010019', [['CN_ID', '810000199001010019']]],
    ['spaced 110105 19491231 002X', [['CN_ID', '110105 19491231 002X']]],
    ['身份证 110105491231002', [['CN_ID', '110105491231002']]],
  ])('finds %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('scores a correct check digit 1 and a wrong one 0.7, or drops it when asked', () => {
    expect(findPii('11010519491231002X')[0]?.score).toBe(1);
    expect(findPii('110105194912310021')).toMatchObject([{ type: 'CN_ID', score: 0.7 }]);
    expect(findPii('110105194912310021', { cnIdRequireChecksum: true })).toEqual([]);
  });

  it.each([
    ['impossible date 1949-02-30 (check digit correct)', '110105194902300012'],
    ['month 13 (check digit correct)', '440304199013071233'],
    ['born in the future', '110105209912310029'],
    ['no such province 99', '990105194912310023'],
    ['nineteen digits', '11010519491231002X1'],
    ['15 digits without a cue word', 'ref 110105491231002'],
  ])('rejects %s (%j)', (_label, text) => {
    expect(found(text).filter(([type]) => type === 'CN_ID')).toEqual([]);
  });
});

describe('US_SSN', () => {
  it.each<[string, Expected]>([
    ['SSN 536-22-1234', [['US_SSN', '536-22-1234']]],
    ['number 536-22-1234 on file', [['US_SSN', '536-22-1234']]],
    ['social security number: 536221234', [['US_SSN', '536221234']]],
    ['ssn 536 22 1234', [['US_SSN', '536 22 1234']]],
  ])('finds %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('scores a cue word higher', () => {
    expect(findPii('SSN 536-22-1234')[0]?.score).toBeGreaterThan(findPii('no 536-22-1234')[0]?.score ?? 1);
  });

  it.each([
    ['area 000', 'SSN 000-12-3456'],
    ['area 666', 'SSN 666-12-3456'],
    ['area 9xx', 'SSN 912-34-5678'],
    ['group 00', 'SSN 536-00-1234'],
    ['serial 0000', 'SSN 536-22-0000'],
    ['voided by the SSA', 'SSN 078-05-1120'],
    ['undashed without a cue', 'order 536221234'],
    ['mixed separators', 'SSN 536-22 1234'],
  ])('rejects %s (%j)', (_label, text) => {
    expect(found(text).filter(([type]) => type === 'US_SSN')).toEqual([]);
  });
});

describe('IP_ADDRESS', () => {
  it.each<[string, Expected]>([
    ['host 192.168.0.1.', [['IP_ADDRESS', '192.168.0.1']]],
    [
      '8.8.8.8 and 255.255.255.255',
      [
        ['IP_ADDRESS', '8.8.8.8'],
        ['IP_ADDRESS', '255.255.255.255'],
      ],
    ],
    [
      'v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      [['IP_ADDRESS', '2001:0db8:85a3:0000:0000:8a2e:0370:7334']],
    ],
    [
      'v6 2001:db8::1, loopback ::1',
      [
        ['IP_ADDRESS', '2001:db8::1'],
        ['IP_ADDRESS', '::1'],
      ],
    ],
    [
      'link fe80:: and mapped ::ffff:192.168.1.1',
      [
        ['IP_ADDRESS', 'fe80::'],
        ['IP_ADDRESS', '::ffff:192.168.1.1'],
      ],
    ],
  ])('finds %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    '999.1.1.1',
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '01.02.03.04',
    'v1.2.3.4',
    'at 12:30:45',
    '2001:db8::1::2',
    '1:2:3:4:5:6:7:8:9',
    'std::vector<int>',
    'mac 00:1A:2B:3C:4D:5E',
  ])('rejects %j', (text) => {
    expect(found(text).filter(([type]) => type === 'IP_ADDRESS')).toEqual([]);
  });
});

describe('overlaps and options', () => {
  it('prefers the validated or longer span', () => {
    // The email's local part is also a Chinese mobile number.
    expect(found('13812345678@163.com')).toEqual([['EMAIL', '13812345678@163.com']]);
    // A card number is not also a phone.
    expect(found('4111-1111-1111-1111')).toEqual([['CREDIT_CARD', '4111-1111-1111-1111']]);
    // An OpenAI key in an assignment is reported once.
    expect(found(`api_key=${OPENAI_KEY}`)).toEqual([['SECRET', OPENAI_KEY]]);
  });

  it('a checksum-valid CN ID starting with 62 is an ID, not a UnionPay card', () => {
    const id = '620102199003070018';
    expect(found(`证件 ${id}`)).toEqual([['CN_ID', id]]);
  });

  it('restricts types', () => {
    const text = 'jane@example.com 4111 1111 1111 1111';
    expect(found(text, { types: ['CREDIT_CARD'] })).toEqual([['CREDIT_CARD', '4111 1111 1111 1111']]);
  });

  it('finds every type in one mixed text, in order', () => {
    const text = [
      'Hi, I am Jane (jane@example.com, +44 20 7946 0958).',
      'Card 4111 1111 1111 1111, IBAN GB29 NWBK 6016 1331 9268 19, SSN 536-22-1234.',
      '身份证11010519491231002X，手机13812345678。Server 10.0.0.12, key',
      `${AWS_KEY}.`,
    ].join(' ');
    expect(found(text).map(([type]) => type)).toEqual([
      'EMAIL',
      'PHONE',
      'CREDIT_CARD',
      'IBAN',
      'US_SSN',
      'CN_ID',
      'PHONE',
      'IP_ADDRESS',
      'SECRET',
    ]);
  });
});

describe('createPiiScanner', () => {
  it('implements the Scanner contract', () => {
    const scanner = createPiiScanner();
    expect(scanner.name).toBe('pii');
    expect(scanner.stages).toEqual(['input', 'context', 'output']);
    const result = scanner.scan('mail jane@example.com, card 4111 1111 1111 1111', { stage: 'input' });
    expect(result.scanner).toBe('pii');
    expect(result.score).toBe(1);
    expect(result.findings).toEqual([
      { scanner: 'pii', type: 'EMAIL', score: 0.9, start: 5, end: 21, value: 'jane@example.com' },
      { scanner: 'pii', type: 'CREDIT_CARD', score: 1, start: 28, end: 47, value: '4111 1111 1111 1111' },
    ]);
  });

  it('scores 0 on clean text', () => {
    expect(createPiiScanner().scan('Summarise the 2024 report in 3 points.', { stage: 'output' })).toEqual({
      scanner: 'pii',
      score: 0,
      findings: [],
    });
  });
});
