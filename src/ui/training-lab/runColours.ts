/** One colour per model of a comparison, the same in every chart and table. */
const RUN_COLOURS: Record<string, string> = { A: '#2166ac', B: '#b2182b', C: '#1a7f4b' };

export const runColour = (id: string) => RUN_COLOURS[id] ?? '#5b6577';
