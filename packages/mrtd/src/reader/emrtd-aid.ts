// The eMRTD (LDS1) application identifier, ICAO 9303-10 §3.6.1; shared by the reader and the virtual chip.
export const EMRTD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);
