// English texts of the chip screen's USB reader choice (the local reader bridge, `tillid reader`).
// The reference: da.ts and kl.ts have exactly these keys.

export const en = {
  'reader.option': 'Passport on a USB reader (tillid reader)',
  'reader.optionHint': 'A real passport on a USB NFC reader on this computer. Start “tillid reader” first.',
  'reader.waiting': 'Put the passport on the reader',
  'reader.waitingBody':
    'Lay the passport open at the photo page (or closed, chip side down) flat on the reader. Reading starts by itself.',
  'reader.hold': 'Keep the passport on the reader',
  'reader.holdBody': 'Do not move the passport until the reading is done.',
  'reader.error.notRunning':
    'The reader bridge is not running. Start it on this computer with “npx tillid reader” and try again.',
  'reader.error.busy': 'Another page is using the card reader. Close it and try again.',
  'reader.error.pcscd':
    'The card reader service (pcscd) is not running on this computer. Start it and try again.',
  'reader.error.noReader': 'No card reader was found. Connect the USB NFC reader and try again.',
  'reader.error.noCard': 'No passport was found on the reader. Put the passport on the reader and try again.',
  'reader.error.cardRemoved':
    'The passport was moved away from the reader during reading. Put it back, keep it still and try again.',
  'reader.error.version':
    'The reader bridge does not match this version of the app. Update Tillid and try again.',
  'reader.error.failed': 'The card reader could not read the chip. Try again.',
};
