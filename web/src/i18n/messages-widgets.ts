/** Interface strings of the widgets (merged into messages.ts). */
export const widgetsZh = {};

export const widgetsEn: typeof widgetsZh = {};
