// @tillid/mrtd: ICAO 9303 eMRTD library (MRZ, APDU, BAC/PACE, secure messaging, LDS, verification).
export * from './apdu/apdu.ts';
export * from './apdu/status-word.ts';
export * from './bytes.ts';
export * from './errors.ts';
export * from './tlv/tlv.ts';
