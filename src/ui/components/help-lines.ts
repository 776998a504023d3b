// The help overlay's text, generated from the keymap registry so it can never drift from the keys.
import { bindingKeys, helpSections, type Scope } from '../keymap.js';

const TITLES: Record<Scope, string> = {
  global: 'Everywhere', pools: 'Pools view', slots: 'Slots view', aliases: 'Aliases view',
  templates: 'Templates view', work: 'Work view', repairs: 'Repairs view',
  prompt: 'While typing a filter or command', help: 'In this help',
};

export interface HelpLine {
  keys: string;
  text: string;
  title: boolean;
}

let cached: HelpLine[] | null = null;

export function helpLines(): HelpLine[] {
  if (cached) return cached;
  const out: HelpLine[] = [];
  for (const section of helpSections()) {
    out.push({ keys: '', text: TITLES[section.scope], title: true });
    for (const b of section.bindings) out.push({ keys: bindingKeys(b), text: b.help, title: false });
  }
  cached = out;
  return out;
}

export function helpLineCount(): number {
  return helpLines().length;
}
