// The bucket layout is a contract with the units (their upload policy and the feedback they
// download) and with the CDK policies: these keys must not drift.
import { describe, expect, it } from 'vitest';
import {
  configKey, configKindOf, configResultKey, feedbackKeysFor, isFolderMarker, isNotifiedKey, parseUploadKey, periodReportKey,
  UNRECOGNISED_UNIT, uploadKey,
} from '../../shared/bucket-layout.ts';

describe('bucket layout', () => {
  it('an upload key names the unit folder and the file; a key without a folder is none', () => {
    expect(uploadKey('S01', 'Báo cáo tháng 6.xlsx')).toBe('incoming/S01/Báo cáo tháng 6.xlsx');
    expect(uploadKey('S01', 'a/b/c.csv')).toBe('incoming/S01/c.csv');
    expect(parseUploadKey('incoming/S01/Báo cáo tháng 6.xlsx')).toEqual({ folder: 'S01', fileName: 'Báo cáo tháng 6.xlsx' });
    expect(parseUploadKey('incoming/S01/2022/06/bc.csv')).toEqual({ folder: 'S01', fileName: 'bc.csv' });
    expect(parseUploadKey('incoming/s01 /bc.csv')).toEqual({ folder: 's01 ', fileName: 'bc.csv' }); // never folded here
    expect(parseUploadKey('incoming/bc.csv')).toBeNull();
    expect(parseUploadKey('incoming/S01/bao\ncao.csv')).toEqual({ folder: 'S01', fileName: 'bao\ncao.csv' }); // the feedback cleans it
    expect(parseUploadKey('results/S01/x.json')).toBeNull();
  });

  it('only uploads and configuration files notify the ingest function, never its own feedback', () => {
    expect(isNotifiedKey('incoming/S01/B%C3%A1o+c%C3%A1o.xlsx')).toBe(true);
    expect(isNotifiedKey('config/registry/don-vi.csv')).toBe(true);
    expect(isNotifiedKey('results/S01/abc.json')).toBe(false);
    expect(isNotifiedKey('reports/2022-06/sent.json')).toBe(false);
  });

  it('a folder marker is an empty object whose key ends in a slash', () => {
    expect(isFolderMarker('incoming/S01/2022/', 0)).toBe(true);
    expect(isFolderMarker('incoming/S01/2022/', 10)).toBe(false);
    expect(isFolderMarker('incoming/S01/bc.csv', 0)).toBe(false);
  });

  it('feedback, reports and configuration keys', () => {
    expect(feedbackKeysFor('S01', 'abc')).toEqual({ json: 'results/S01/abc.json', text: 'results/S01/abc.txt' });
    expect(feedbackKeysFor(UNRECOGNISED_UNIT, 'abc').json).toBe('results/_unrecognised/abc.json');
    expect(periodReportKey('2022-06', 'bao-cao-dvc-2022-06.xlsx')).toBe('reports/2022-06/bao-cao-dvc-2022-06.xlsx');
    expect(configKey('registry', '/tmp/don-vi.csv')).toBe('config/registry/don-vi.csv');
    expect(configKindOf('config/targets/chi-tieu.xlsx')).toBe('targets');
    expect(configKindOf('config/other/x.csv')).toBeNull();
    expect(configKindOf('config/registry/sub/x.csv')).toBeNull();
    expect(configResultKey('config/registry/don-vi.csv')).toBe('results/config/registry/don-vi.csv.json');
    // A registry and a targets file of the same name keep a result each.
    expect(configResultKey('config/targets/don-vi.csv')).toBe('results/config/targets/don-vi.csv.json');
  });
});
