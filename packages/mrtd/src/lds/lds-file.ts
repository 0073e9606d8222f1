// The one table of LDS elementary files: name, data group number, tag, file identifier and short EF
// identifier (ICAO 9303-10 §3.6.2 Table 35 and §4.6; EF.CardAccess / EF.CardSecurity in the master file, §3.11).
import { MrtdError } from '../errors.ts';

export type LdsFileName =
  | 'COM'
  | 'SOD'
  | 'DG1'
  | 'DG2'
  | 'DG3'
  | 'DG4'
  | 'DG5'
  | 'DG6'
  | 'DG7'
  | 'DG8'
  | 'DG9'
  | 'DG10'
  | 'DG11'
  | 'DG12'
  | 'DG13'
  | 'DG14'
  | 'DG15'
  | 'DG16'
  | 'CardAccess'
  | 'CardSecurity';

export interface LdsFile {
  readonly name: LdsFileName;
  /** The data group number, for DG1..DG16 only. */
  readonly dg?: number;
  /** The file's outer tag: 0x60 EF.COM, 0x61.. data groups, 0x77 EF.SOD; 0x31 (SET) and 0x30 (SEQUENCE) for the unwrapped master-file EFs. */
  readonly tag: number;
  readonly fid: number;
  readonly sfi: number;
  /** Where the file lives: the master file (MF) or the eMRTD application (ICAO 9303-10 §3.6). */
  readonly application: 'MF' | 'eMRTD';
}

const dg = (n: number, tag: number): LdsFile => ({
  name: `DG${n}` as LdsFileName,
  dg: n,
  tag,
  fid: 0x0100 + n,
  sfi: n,
  application: 'eMRTD',
});

export const LDS_FILES: readonly LdsFile[] = Object.freeze([
  { name: 'COM', tag: 0x60, fid: 0x011e, sfi: 0x1e, application: 'eMRTD' },
  { name: 'SOD', tag: 0x77, fid: 0x011d, sfi: 0x1d, application: 'eMRTD' },
  dg(1, 0x61),
  dg(2, 0x75),
  dg(3, 0x63),
  dg(4, 0x76),
  dg(5, 0x65),
  dg(6, 0x66),
  dg(7, 0x67),
  dg(8, 0x68),
  dg(9, 0x69),
  dg(10, 0x6a),
  dg(11, 0x6b),
  dg(12, 0x6c),
  dg(13, 0x6d),
  dg(14, 0x6e),
  dg(15, 0x6f),
  dg(16, 0x70),
  { name: 'CardAccess', tag: 0x31, fid: 0x011c, sfi: 0x1c, application: 'MF' },
  { name: 'CardSecurity', tag: 0x30, fid: 0x011d, sfi: 0x1d, application: 'MF' },
] satisfies LdsFile[]);

export function ldsFileByName(name: LdsFileName): LdsFile {
  const f = LDS_FILES.find((x) => x.name === name);
  // The table covers every LdsFileName; reaching this is a programming error, not bad input.
  if (f === undefined) throw new MrtdError('ERR_USAGE', `no LDS file ${name}`);
  return f;
}

/** The eMRTD-application file with this outer tag (EF.COM, EF.SOD, DG1..DG16). */
export function ldsFileByTag(tag: number): LdsFile | undefined {
  return LDS_FILES.find((x) => x.tag === tag && x.application === 'eMRTD');
}

export function ldsFileByDg(dgNumber: number): LdsFile | undefined {
  return LDS_FILES.find((x) => x.dg === dgNumber);
}

export function ldsFileByFid(fid: number, application: 'MF' | 'eMRTD' = 'eMRTD'): LdsFile | undefined {
  return LDS_FILES.find((x) => x.fid === fid && x.application === application);
}
