/** One colour per analysed model, by its position in the chosen list. */
const COLOURS = ['#2166ac', '#b2182b', '#1a7f4b'];

export const modelColour = (index: number) => COLOURS[index % COLOURS.length];
