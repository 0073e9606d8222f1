// A virtual passport as the app receives it: the files of a `tillid passport create` directory (EF_COM.bin,
// EF_SOD.bin, DG1.bin …, chip.json), from the development server or uploaded. Pure: no mrtd code here,
// so the chip screen can offer the choice before the reader is loaded.

export interface VirtualPassport {
  readonly name: string;
  /** chip.json: the chip's secrets (MRZ, keys), as `tillid passport create` wrote it. */
  readonly chipJson: string;
  /** LDS name ('COM', 'SOD', 'DG1', 'CardAccess' …) → raw bytes. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** EF_COM.bin → COM, EF_CardAccess.bin → CardAccess, DG2.bin → DG2 (the directory format of packages/mrtd). */
export function ldsNameOfFile(fileName: string): string | undefined {
  const m = /^(?:EF_(COM|SOD|CardAccess|CardSecurity)|(DG(?:[1-9]|1[0-6])))\.bin$/.exec(fileName);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export interface PassportSummary {
  readonly name: string;
  readonly holder: string;
  readonly documentNumber: string;
}

/** The development server's list (404 outside development: no virtual passports). */
export async function listVirtualPassports(): Promise<PassportSummary[]> {
  const r = await fetch('/dev/passports', { headers: { accept: 'application/json' } }).catch(() => undefined);
  if (!r?.ok) return [];
  const body = (await r.json().catch(() => null)) as { passports?: PassportSummary[] } | null;
  return Array.isArray(body?.passports) ? body.passports : [];
}

export async function fetchVirtualPassport(name: string): Promise<VirtualPassport | undefined> {
  const r = await fetch(`/dev/passports/${encodeURIComponent(name)}`, {
    headers: { accept: 'application/json' },
  });
  if (!r.ok) return undefined;
  const body = (await r.json()) as { chipJson: string; files: Record<string, string> };
  const files = new Map<string, Uint8Array>();
  for (const [file, b64] of Object.entries(body.files)) {
    const lds = ldsNameOfFile(file);
    if (lds) files.set(lds, base64ToBytes(b64));
  }
  return { name, chipJson: body.chipJson, files };
}

/** Files picked in the browser (every file of the passport's directory). */
export async function passportFromFiles(
  list: FileList | readonly File[],
): Promise<VirtualPassport | undefined> {
  const files = new Map<string, Uint8Array>();
  let chipJson: string | undefined;
  for (const f of Array.from(list)) {
    if (f.name === 'chip.json') chipJson = await f.text();
    const lds = ldsNameOfFile(f.name);
    if (lds) files.set(lds, new Uint8Array(await f.arrayBuffer()));
  }
  if (!chipJson || !files.has('SOD') || !files.has('DG1') || !files.has('DG2')) return undefined;
  return { name: 'upload', chipJson, files };
}
