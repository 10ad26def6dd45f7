/** Interface strings of the themes (merged into messages.ts). */
export const themesZh = {};

export const themesEn: typeof themesZh = {};
