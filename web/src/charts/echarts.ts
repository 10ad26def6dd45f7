/** ECharts with only what the widgets use (half the size of `import 'echarts'`). */
import { use, init, format, setPlatformAPI, type EChartsType } from 'echarts/core';
import { BarChart, GaugeChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { canvasContext, createTextMeasurer } from './measure.ts';

use([
  BarChart,
  GaugeChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  CanvasRenderer,
  SVGRenderer,
]);

// Label widths are measured on a canvas renewed every so often (see ./measure.ts).
setPlatformAPI({ measureText: createTextMeasurer(canvasContext) });

export { init, format };
export type { EChartsType };
export type { EChartsCoreOption } from 'echarts/core';
