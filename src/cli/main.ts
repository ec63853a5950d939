process.stdout.write('bwdc-schedule\n');
