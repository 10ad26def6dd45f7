/** Web tests run against the default deployment's geography (Pingshan, UTC+8), as the server would say. */
import { setDeployment } from '../src/deployment.ts';

setDeployment({ root: { scope: 'district:440310', level: 'district', code: '440310', name: '坪山区' }, utcOffsetMinutes: 480 });
