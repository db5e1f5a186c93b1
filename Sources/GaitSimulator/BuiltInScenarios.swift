/// Scenarios shipped with the simulator. Each is also a file, simulator/scenarios/<name>.yaml, with exactly
/// this text (a test keeps the two identical).
extension Scenario {
    /// Names accepted by `builtIn(named:)`.
    public static let builtInNames: [String] = ["mixed", "walk", "run", "stairs", "downhill-run", "squats", "cheap-rig", "commute", "trail-run", "cycling"]

    /// A built-in scenario by name.
    public static func builtIn(named name: String) throws(ScenarioError) -> Scenario {
        guard let text = builtInYAML[name] else {
            throw ScenarioError(
                source: "built-in", line: nil, key: nil, value: name,
                problem: "no built-in scenario by that name; built in: \(builtInNames.joined(separator: ", "))")
        }
        return try Scenario(yaml: text, source: "built-in \(name).yaml")
    }

    /// The YAML text of each built-in scenario.
    public static let builtInYAML: [String: String] = [
        "mixed": #"""
# Everything in about three minutes: walking, two stair flights, running, downhill running, squats, sitting.
name: mixed
seed: 7
subject: {height_m: 1.75, mass_kg: 70}
rig:
  imu: mpu6050
  knee_sensor: ads1115
  accel_range_g: 16
  gyro_range_dps: 2000
  barometer: true
segments:
  - {activity: stand, duration_s: 10}
  - {activity: walk, duration_s: 30, cadence_spm: 110}
  - {activity: stair_descent, steps: 12, cadence_spm: 95, knee_peak_deg: 85, riser_m: 0.17}
  - {activity: walk, duration_s: 15, cadence_spm: 108}
  - {activity: run, duration_s: 40, cadence_spm: 170, speed_mps: 3.2}
  - {activity: downhill_run, duration_s: 20, slope_deg: 6}
  - {activity: walk, duration_s: 12}
  - {activity: stair_descent, steps: 14, cadence_spm: 100, riser_m: 0.16}
  - {activity: walk, duration_s: 8}
  - {activity: squat, reps: 6, rate_rpm: 20}
  - {activity: sit, duration_s: 15}

"""#,
        "walk": #"""
# Level walking at a steady cadence, with standing at both ends.
name: walk
seed: 11
subject: {height_m: 1.68, mass_kg: 62}
rig: {imu: mpu6500, knee_sensor: as5600}
segments:
  - {activity: stand, duration_s: 5}
  - {activity: walk, duration_s: 120, cadence_spm: 112}
  - {activity: stand, duration_s: 5}

"""#,
        "run": #"""
# An easy run with a walking warm-up and cool-down.
name: run
seed: 23
subject: {height_m: 1.82, mass_kg: 78}
rig: {imu: lsm6ds3, accel_range_g: 16, gyro_range_dps: 2000}
segments:
  - {activity: stand, duration_s: 5}
  - {activity: walk, duration_s: 30}
  - {activity: run, duration_s: 180, cadence_spm: 168, speed_mps: 3.0}
  - {activity: walk, duration_s: 30}

"""#,
        "stairs": #"""
# Several stair flights down (and one up) with walking on the landings.
name: stairs
seed: 31
subject: {height_m: 1.62, mass_kg: 58}
rig: {imu: lsm6dsox, barometer: true}
segments:
  - {activity: stand, duration_s: 5}
  - {activity: walk, duration_s: 10}
  - {activity: stair_descent, steps: 12, riser_m: 0.17}
  - {activity: walk, duration_s: 8}
  - {activity: stair_descent, steps: 12, riser_m: 0.17}
  - {activity: walk, duration_s: 8}
  - {activity: stair_descent, steps: 16, riser_m: 0.15, cadence_spm: 110}
  - {activity: walk, duration_s: 20}
  - {activity: stair_ascent, steps: 12, riser_m: 0.17}
  - {activity: walk, duration_s: 10}
  - {activity: stair_descent, steps: 10, riser_m: 0.17, knee_peak_deg: 70}
  - {activity: walk, duration_s: 10}

"""#,
        "downhill-run": #"""
# Running down a 3–8° road: deep stance knee flexion, but with a flight phase (not stairs).
name: downhill-run
seed: 43
subject: {height_m: 1.78, mass_kg: 72}
rig: {imu: mpu6050, barometer: true}
environment: {altitude_m: 420}
segments:
  - {activity: stand, duration_s: 5}
  - {activity: run, duration_s: 30, cadence_spm: 172, speed_mps: 3.3}
  - {activity: downhill_run, duration_s: 90, slope_deg: 6, cadence_spm: 176}
  - {activity: downhill_run, duration_s: 45, slope_deg: 3.5}
  - {activity: run, duration_s: 30}
  - {activity: walk, duration_s: 20}

"""#,
        "squats": #"""
# Squat sets with rests, standing up from and sitting down on a chair.
name: squats
seed: 53
subject: {height_m: 1.70, mass_kg: 66}
rig: {imu: lsm6ds3, knee_sensor: as5600}
segments:
  - {activity: sit, duration_s: 10}
  - {activity: stand, duration_s: 5}
  - {activity: squat, reps: 12, rate_rpm: 24, knee_peak_deg: 100}
  - {activity: stand, duration_s: 10}
  - {activity: squat, reps: 10, rate_rpm: 15, knee_peak_deg: 115}
  - {activity: walk, duration_s: 10}
  - {activity: sit, duration_s: 15}

"""#,
        "cheap-rig": #"""
# The hard case: a ±2 g IMU without gyro, strapped 25° off axis, a knee sensor whose zero wanders 15°,
# a person who barely bends the knee going down stairs, and descents faster than their running cadence.
name: cheap-rig
seed: 61
subject: {height_m: 1.66, mass_kg: 80, knee_flex_scale: 0.85}
rig:
  imu: mpu6050
  knee_sensor: ads1115
  accel_range_g: 2
  gyro_range_dps: 250
  gyro: false
  barometer: false
  axis_remap: "-y,x,z"
  mount_offset_deg: {roll: 25, pitch: 6, yaw: -4}
  accel_noise_g: 0.02
  accel_bias_g: 0.05
  knee_noise_deg: 1.5
  knee_drift_deg: 15
  knee_drift_period_s: 90
segments:
  - {activity: stand, duration_s: 8}
  - {activity: walk, duration_s: 20, cadence_spm: 104}
  - {activity: stair_descent, steps: 14, cadence_spm: 90, knee_peak_deg: 45, knee_contact_deg: 8}
  - {activity: walk, duration_s: 10}
  - {activity: run, duration_s: 40, cadence_spm: 160, speed_mps: 2.7}
  - {activity: walk, duration_s: 10}
  - {activity: stair_descent, steps: 14, cadence_spm: 180, knee_peak_deg: 52}
  - {activity: walk, duration_s: 8}
  - {activity: stair_descent, steps: 12, cadence_spm: 175, knee_peak_deg: 48, riser_m: 0.16}
  - {activity: walk, duration_s: 10}
  - {activity: sit, duration_s: 10}

"""#,
        "commute": #"""
# A commute: a station stairway down, walking, a stairway up, a seat, with the weather turning.
name: commute
seed: 71
subject: {height_m: 1.91, mass_kg: 88}
rig: {imu: lsm6dsox, knee_sensor: as5600, barometer: true, gyro_range_dps: 1000, accel_range_g: 8}
environment: {altitude_m: 35, pressure_drift_pa_per_h: -150}
segments:
  - {activity: sit, duration_s: 20}
  - {activity: walk, duration_s: 60, cadence_spm: 118}
  - {activity: stair_descent, steps: 20, cadence_spm: 120, riser_m: 0.16}
  - {activity: walk, duration_s: 25}
  - {activity: stand, duration_s: 30}
  - {activity: stair_ascent, steps: 20, riser_m: 0.16}
  - {activity: walk, duration_s: 40}
  - {activity: sit, duration_s: 20}

"""#,
        "trail-run": #"""
# Hilly trail running: steep downhills at high cadence, a stair section, a short walk break.
name: trail-run
seed: 83
subject: {height_m: 1.58, mass_kg: 52}
rig: {imu: mpu6500, barometer: true, accel_range_g: 16}
environment: {altitude_m: 1200}
segments:
  - {activity: walk, duration_s: 20}
  - {activity: run, duration_s: 60, cadence_spm: 182, speed_mps: 2.8}
  - {activity: downhill_run, duration_s: 40, slope_deg: 8, cadence_spm: 186, knee_peak_deg: 60}
  - {activity: walk, duration_s: 15}
  - {activity: stair_descent, steps: 24, cadence_spm: 130, riser_m: 0.18, tread_m: 0.35}
  - {activity: walk, duration_s: 15}
  - {activity: downhill_run, duration_s: 40, slope_deg: 4}
  - {activity: stand, duration_s: 10}

"""#,
        "cycling": #"""
# Cross-training on a bicycle: walk to the bike, about four minutes of pedalling at 55–95 rpm with two
# stretches out of the saddle, then walk away. The foot never lands while pedalling: no steps, no descents.
name: cycling
seed: 23
subject: {height_m: 1.72, mass_kg: 64}
rig:
  imu: lsm6ds3
  knee_sensor: as5600
  accel_range_g: 8
  gyro_range_dps: 1000
segments:
  - {activity: sit, duration_s: 10}
  - {activity: stand, duration_s: 5}
  - {activity: walk, duration_s: 20, cadence_spm: 108}
  - {activity: stand, duration_s: 4}
  - {activity: cycle, duration_s: 60, cadence_rpm: 75, knee_bottom_deg: 36, vibration_g: 0.08}
  - {activity: cycle, duration_s: 40, cadence_rpm: 92, vibration_g: 0.15}
  - {activity: cycle, duration_s: 15, cadence_rpm: 62, standing: true, vibration_g: 0.1}
  - {activity: cycle, duration_s: 50, cadence_rpm: 55, vibration_g: 0.05}
  - {activity: cycle, duration_s: 12, cadence_rpm: 70, standing: true, vibration_g: 0.2}
  - {activity: cycle, duration_s: 50, cadence_rpm: 85, vibration_g: 0.1}
  - {activity: stand, duration_s: 5}
  - {activity: walk, duration_s: 20}
  - {activity: stand, duration_s: 5}

"""#,
    ]
}
