// Registering the chip (a FIDO2 security key) right after journey A: English, the reference for da and kl.
export const en = {
  'chipKey.lookAway.body':
    'The person you help now creates a password for the chip. Look away while it is typed, and hand over the phone.',
  'chipKey.password.body':
    'You log in with your user-ID, this password and your chip (security key). Type the password twice.',
  'chipKey.key.title': 'Register your security key',
  'chipKey.key.body':
    'Insert the security key into the phone or computer (or hold it to the phone), then touch it when it blinks.',
  'chipKey.key.register': 'Register the security key',
  'chipKey.key.touch': 'Insert your security key and touch it …',
  'webauthn.cancelled':
    'The security key was not registered: it was not touched in time, or it was cancelled.',
  'webauthn.unsupported':
    'This browser cannot use security keys. Use another browser, or choose another device.',
  'chipKey.key.changePassword': 'Choose another password',
  'chipKey.registered.title': 'Your chip is registered',
  'chipKey.registered.body':
    'From now on you log in with your user-ID, your password and your security key. Keep the key safe.',
  'chip.limit': 'This identity already has a chip. Remove the old one before registering a new one.',
  'webauthn.invalid': 'The security key’s answer could not be verified.',
};
