/** ECharts with only what the widgets use (half the size of `import 'echarts'`). */
import { use, init, type EChartsType } from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer, SVGRenderer]);

export { init };
export type { EChartsType };
export type { EChartsCoreOption } from 'echarts/core';
