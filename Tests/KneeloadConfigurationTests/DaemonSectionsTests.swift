import AlertOutputs
import Foundation
import KneeloadConfiguration
import KneeloadCore
import Testing

/// The daemon's sections (`sensors`, `gpio`, `daemon`): every key read, defaults, and the exact messages for
/// unknown keys, wrong types and out-of-range values.
@Suite struct DaemonSectionsTests {
    @Test func everyKeyIsRead() throws {
        let c = try Configuration(
            yaml: """
                sensors:
                  i2c_bus: /dev/i2c-3
                  sample_rate_hz: 200
                  axis_remap: "-y,x,z"
                  imu:
                    chip: lsm6ds
                    address: 0x6b
                    accel_range_g: 8
                    gyro_range_dps: 1000
                    gyro: false
                  knee:
                    chip: ads1115
                    address: 0x49
                    channel: 2
                    straight_v: 1.2
                    bent_v: 2.0
                    bent_deg: 80
                gpio:
                  enabled: false
                  buzzer: gpiochip0:5
                  vibration: GPIO5
                  led: none
                  button: GPIO26
                  outputs_active_low: true
                  button_active_low: false
                  button_bias: pull_down
                  debounce_ms: 50
                  patterns:
                    load_rate.alert: "on 50ms, off 50ms, repeat 4"
                daemon:
                  state_directory: /data/kl
                  recording: false
                  recording_max_mb: 2048
                  recording_min_free_mb: 50
                  checkpoint_interval_s: 10
                  sensor_fault_after_s: 3
                """, source: "k.yaml")
        #expect(c.sensors.i2cBus == "/dev/i2c-3")
        #expect(c.sensors.sampleRateHz == 200)
        #expect(c.sensors.axisRemap == (try AxisRemap(parsing: "-y,x,z")))
        #expect(c.sensors.imuChip == .lsm6ds && c.sensors.imuAddress == 0x6B)
        #expect(c.sensors.accelRangeG == 8 && c.sensors.gyroRangeDPS == 1000 && !c.sensors.useGyro)
        #expect(c.sensors.kneeChip == .ads1115 && c.sensors.kneeAddress == 0x49 && c.sensors.flexChannel == 2)
        #expect(c.sensors.flexCalibration.straightVolts == 1.2 && c.sensors.flexCalibration.bentVolts == 2.0)
        #expect(c.sensors.flexCalibration.bentDeg == 80)
        #expect(!c.gpio.enabled)
        #expect(c.gpio.buzzer == .chipOffset(chip: "gpiochip0", offset: 5))
        #expect(c.gpio.vibration == .named("GPIO5") && c.gpio.led == nil && c.gpio.buttonLine == .named("GPIO26"))
        #expect(c.gpio.outputPolarity == .activeLow && c.gpio.button.polarity == .activeHigh)
        #expect(c.gpio.button.bias == .pullDown && c.gpio.button.debounceTime == .milliseconds(50))
        #expect(c.gpio.patterns.pattern(for: AlertSignal(.loadRate, .alert)) == (try AlertPattern(parsing: "on 50ms, off 50ms, repeat 4")))
        #expect(c.daemon.stateDirectory == "/data/kl" && !c.daemon.recording)
        #expect(c.daemon.checkpointIntervalS == 10 && c.daemon.sensorFaultAfterS == 3)
        #expect(c.daemon.recordingMaxMB == 2048 && c.daemon.recordingMinFreeMB == 50)
        #expect(c.daemon.resolvedRecordingDirectory(environment: [:]) == "/data/kl/recordings")
    }

    @Test func directoriesFollowSystemdThenTheDefaults() {
        let d = DaemonSettings()
        #expect(d.resolvedStateDirectory(environment: [:]) == "/var/lib/kneeload")
        #expect(d.resolvedStateDirectory(environment: ["STATE_DIRECTORY": "/var/lib/kneeload:/var/lib/other"]) == "/var/lib/kneeload")
        #expect(d.resolvedStateDirectory(environment: ["STATE_DIRECTORY": "/tmp/s"]) == "/tmp/s")
    }

    @Test(arguments: [
        ("sensors:\n  bus: /dev/i2c-1\n", "k.yaml:2: sensors.bus: unknown key; allowed here: i2c_bus, sample_rate_hz, axis_remap, imu, knee"),
        ("sensors:\n  sample_rate_hz: fast\n", "k.yaml:2: sensors.sample_rate_hz = fast: expected a number (25…1000 Hz)"),
        ("sensors:\n  sample_rate_hz: 5000\n", "k.yaml:2: sensors.sample_rate_hz = 5000: out of range; allowed 25…1000 Hz"),
        ("sensors:\n  i2c_bus: i2c-1\n", "k.yaml:2: sensors.i2c_bus = i2c-1: expected a device path such as /dev/i2c-1"),
        ("sensors:\n  axis_remap: \"x,x,z\"\n", "k.yaml:2: sensors.axis_remap = x,x,z: axis remap 'x,x,z' uses a chip axis twice; each of x, y, z must appear once"),
        ("sensors:\n  imu:\n    chip: bmi160\n", "k.yaml:3: sensors.imu.chip = bmi160: unknown value; allowed: auto | mpu6050 | lsm6ds"),
        ("sensors:\n  imu:\n    address: 0x50\n", "k.yaml:3: sensors.imu.address = 0x50: allowed: auto | 0x68 | 0x69 | 0x6a | 0x6b"),
        ("sensors:\n  imu:\n    accel_range_g: 3\n", "k.yaml:3: sensors.imu.accel_range_g = 3: allowed: 2 | 4 | 8 | 16 g"),
        ("sensors:\n  knee:\n    channel: 4\n", "k.yaml:3: sensors.knee.channel = 4: out of range; allowed 0…3"),
        ("sensors:\n  knee:\n    chip: as5600\n    address: 0x48\n", "k.yaml:4: sensors.knee.address = 0x48: an ADS1115 sits at 0x48–0x4b, an AS5600 at 0x36"),
        ("gpio:\n  buzzer: gpiochip0:x\n", "k.yaml:2: gpio.buzzer = gpiochip0:x: GPIO line \"gpiochip0:x\": offset \"x\" is not a whole number from 0 to 4294967295"),
        ("gpio:\n  led: GPIO17\n", "k.yaml:2: gpio.led = GPIO17: the same line as gpio.buzzer"),
        ("gpio:\n  enabled: maybe\n", "k.yaml:2: gpio.enabled = maybe: expected true or false"),
        ("gpio:\n  patterns:\n    load_rate.loud: \"on 1s\"\n", "k.yaml:3: gpio.patterns.load_rate.loud: unknown key; allowed here: cumulative_load.warning, cumulative_load.alert, load_rate.warning, load_rate.alert, stair_descents.warning, stair_descents.alert, sensor_fault.warning, sensor_fault.alert, session_progression.warning, session_progression.alert"),
        ("daemon:\n  checkpoint_interval_s: 0\n", "k.yaml:2: daemon.checkpoint_interval_s = 0: out of range; allowed 1…300 s"),
        ("daemon:\n  recording_max_mb: 8\n", "k.yaml:2: daemon.recording_max_mb = 8: out of range; allowed 16…10000000 MiB"),
        ("daemon:\n  state_directory: state\n", "k.yaml:2: daemon.state_directory = state: expected an absolute path"),
    ])
    func badValuesNameFileLineKeyValueAndWhatIsAllowed(text: String, message: String) {
        #expect {
            try Configuration(yaml: text, source: "k.yaml")
        } throws: { error in
            "\(error)" == message
        }
    }
}

/// The example configuration shipped in hardware/ stays valid.
@Suite struct ExampleConfigurationTests {
    @Test func theHardwareExampleParses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../hardware/kneeload.example.yaml").standardized.path
        let c = try Configuration.load(path: path)
        #expect(c.sensors.imuChip == .mpu6050 && c.sensors.imuAddress == 0x68)
        #expect(c.sensors.kneeChip == .ads1115 && c.sensors.kneeAddress == 0x48)
        #expect(c.gpio.buzzer == .named("GPIO17") && c.gpio.led == .named("GPIO27"))
    }
}
