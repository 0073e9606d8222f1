// Danske tekster til chipskærmens valg af USB-læser (den lokale læserbro, `tillid reader`).
import type { en } from './en.ts';

export const da: Record<keyof typeof en, string> = {
  'reader.option': 'Pas på en USB-læser (tillid reader)',
  'reader.optionHint': 'Et rigtigt pas på en USB-NFC-læser på denne computer. Start »tillid reader« først.',
  'reader.waiting': 'Læg passet på læseren',
  'reader.waitingBody':
    'Læg passet fladt på læseren, åbnet ved fotosiden (eller lukket med chipsiden nedad). Aflæsningen starter af sig selv.',
  'reader.hold': 'Lad passet ligge på læseren',
  'reader.holdBody': 'Flyt ikke passet, før aflæsningen er færdig.',
  'reader.error.notRunning':
    'Læserbroen kører ikke. Start den på denne computer med »npx tillid reader«, og prøv igen.',
  'reader.error.busy': 'En anden side bruger kortlæseren. Luk den, og prøv igen.',
  'reader.error.pcscd': 'Kortlæsertjenesten (pcscd) kører ikke på denne computer. Start den, og prøv igen.',
  'reader.error.noReader': 'Der blev ikke fundet nogen kortlæser. Tilslut USB-NFC-læseren, og prøv igen.',
  'reader.error.noCard': 'Der ligger intet pas på læseren. Læg passet på læseren, og prøv igen.',
  'reader.error.cardRemoved':
    'Passet blev flyttet fra læseren under aflæsningen. Læg det tilbage, hold det stille, og prøv igen.',
  'reader.error.version': 'Læserbroen passer ikke til denne version af appen. Opdatér Tillid, og prøv igen.',
  'reader.error.failed': 'Kortlæseren kunne ikke aflæse chippen. Prøv igen.',
};
